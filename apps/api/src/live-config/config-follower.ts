import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Injectable, Logger } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { configHash } from '../config/config-file';
import { parseCommunityConfig } from '../config/load-community-config';
import { ClusterBus } from '../realtime/cluster-bus';
import { LiveConfigApplier } from './live-config-applier';

/**
 * Another api process applied a new config.toml (`config.replace`, or its watcher saw an edit) and
 * said so on the `ClusterBus`: this process reads the same file (processes share config.toml) and
 * applies it to its own sessions. Not audited: the process that applied it first did. With one
 * process the announcement is this process's own, already running, so nothing happens.
 */
@Injectable()
export class ConfigFollower {
  private readonly logger = new Logger('Config');

  constructor(
    private readonly config: AppConfig,
    private readonly applier: LiveConfigApplier,
    bus: ClusterBus,
  ) {
    bus.subscribe('config.changed', ({ hash }) => {
      if (hash !== this.config.appliedHash) void this.follow(hash);
    });
  }

  private async follow(hash: string): Promise<void> {
    const file = this.config.env.configPath;
    try {
      const bytes = readFileSync(file);
      if (configHash(bytes) !== hash) {
        this.logger.warn(`another process applied config ${hash}, but ${file} here differs; not followed`);
        return;
      }
      this.config.replace(parseCommunityConfig(bytes.toString('utf8'), path.basename(file)), hash);
      this.logger.log(`config.toml applied by another process: applied here too`);
      await this.applier.apply();
    } catch (error) {
      this.logger.error(`could not follow another process's config.toml: ${String(error)}`);
    }
  }
}
