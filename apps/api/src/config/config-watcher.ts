import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from './app-config';
import { CommunityConfigError } from './community-config';
import { loadCommunityConfig } from './load-community-config';
import { LiveConfigApplier } from './live-config-applier';

/** Editors save in bursts (write, rename, chmod): one reload per burst. */
const SETTLE_MS = 250;

/**
 * Watches config.toml and applies a valid change without a restart. The directory is watched, not
 * the file, because editors and `mv` replace the file (a new inode) rather than write into it. An
 * invalid file is reported in the log and the running config stays; a later valid save applies.
 */
@Injectable()
export class ConfigWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Config');
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly applier: LiveConfigApplier,
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
    let next;
    try {
      next = loadCommunityConfig(this.config.env.configPath);
    } catch (error) {
      const message = error instanceof CommunityConfigError ? error.message : String(error);
      this.logger.error(`config.toml changed but is invalid; the running config stays:\n${message}`);
      return;
    }
    this.config.replace(next);
    this.logger.log('config.toml changed: applied');
    await this.applier.apply().catch((error: unknown) => {
      this.logger.error(`applying the new config to live sessions failed: ${String(error)}`);
    });
  }
}
