import { type FSWatcher, readFileSync, watch } from 'node:fs';
import * as path from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { CONFIG_FILE_ACTOR } from '@mpqcht/protocol';

import { AuditLogService } from '../audit/audit-log.service';
import { AppConfig } from '../config/app-config';
import { CommunityConfigError } from '../config/community-config';
import { configHash, summariseChange } from '../config/config-file';
import { parseCommunityConfig } from '../config/load-community-config';
import { ClusterBus } from '../realtime/cluster-bus';
import { LiveConfigApplier } from './live-config-applier';

/** Editors save in bursts (write, rename, chmod): one reload per burst. */
const SETTLE_MS = 250;

/**
 * Watches config.toml and applies a valid change without a restart. The directory is watched, not
 * the file, because editors and `mv` replace the file (a new inode) rather than write into it. An
 * invalid file is reported in the log and the running config stays; a later valid save applies.
 * A file whose hash is the one already running (e.g. just written by `config.replace`) is left alone;
 * a valid external edit is applied and written to the audit log as `config.reloaded` by `file`.
 */
@Injectable()
export class ConfigWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Config');
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly applier: LiveConfigApplier,
    private readonly audit: AuditLogService,
    private readonly bus: ClusterBus,
  ) {}

  onApplicationBootstrap(): void {
    const file = this.config.env.configPath;
    try {
      this.watcher = watch(path.dirname(file), (_event, name) => {
        if (name !== null && name !== path.basename(file)) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), SETTLE_MS);
      });
      this.watcher.on('error', (error) => {
        this.logger.warn(`no longer watching ${file}: ${error.message}`);
      });
    } catch (error) {
      this.logger.warn(`cannot watch ${file} (${String(error)}); config changes need a restart`);
    }
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  async reload(): Promise<void> {
    const file = this.config.env.configPath;
    let next;
    let hash: string;
    try {
      const bytes = readFileSync(file);
      hash = configHash(bytes);
      if (hash === this.config.appliedHash) return;
      next = parseCommunityConfig(bytes.toString('utf8'), path.basename(file));
    } catch (error) {
      const message = error instanceof CommunityConfigError ? error.message : String(error);
      this.logger.error(`config.toml changed but is invalid; the running config stays:\n${message}`);
      return;
    }
    const oldHash = this.config.appliedHash ?? null;
    const previous = this.config.current;
    this.config.replace(next, hash);
    this.logger.log('config.toml changed: applied');
    await this.applier.apply().catch((error: unknown) => {
      this.logger.error(`applying the new config to live sessions failed: ${String(error)}`);
    });
    this.bus.publish('config.changed', { hash }); // the other processes follow (ConfigFollower)
    await this.audit
      .record(CONFIG_FILE_ACTOR, 'config.reloaded', path.basename(file), {
        oldHash,
        newHash: hash,
        ...summariseChange(previous, next),
      })
      .catch((error: unknown) => {
        this.logger.error(`could not audit a config.toml reload: ${String(error)}`);
      });
  }
}
