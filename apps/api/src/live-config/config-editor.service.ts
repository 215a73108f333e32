import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Injectable, Logger } from '@nestjs/common';

import type { ConfigDto, ConfigReplacedDto } from '@mpqcht/protocol';

import { AuditLogService } from '../audit/audit-log.service';
import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { type CommunityConfig, CommunityConfigError } from '../config/community-config';
import { backupPath, configHash, summariseChange, writeFileAtomically } from '../config/config-file';
import { parseCommunityConfig } from '../config/load-community-config';
import { ClusterBus } from '../realtime/cluster-bus';
import { LiveConfigApplier } from './live-config-applier';

/**
 * Reads and replaces config.toml over the protocol (`config.get`, `config.replace`). A replacement
 * is validated exactly as at start-up, refused if the file changed since the editor read it, written
 * atomically with the previous version kept as `config.toml.bak`, and applied at once through the
 * path the watcher uses; the watcher then sees the hash it already runs and does nothing.
 */
@Injectable()
export class ConfigEditorService {
  private readonly logger = new Logger('Config');
  /** Replacements run one at a time, so the hash check and the write cannot interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly applier: LiveConfigApplier,
    private readonly audit: AuditLogService,
    private readonly bus: ClusterBus,
  ) {}

  private get file(): string {
    return this.config.env.configPath;
  }

  get(): ConfigDto {
    const bytes = readFileSync(this.file);
    return { text: bytes.toString('utf8'), hash: configHash(bytes) };
  }

  replace(actor: string, text: string, expectedHash: string): Promise<ConfigReplacedDto> {
    const run = this.queue.then(() => this.replaceNow(actor, text, expectedHash));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async replaceNow(actor: string, text: string, expectedHash: string): Promise<ConfigReplacedDto> {
    const fileName = path.basename(this.file);
    let next: CommunityConfig;
    try {
      next = parseCommunityConfig(text, fileName);
    } catch (error) {
      if (!(error instanceof CommunityConfigError)) throw error;
      const errors = error.message.split('\n');
      await this.audit.record(actor, 'config.rejected', fileName, { errors }).catch((e: unknown) => {
        this.logger.error(`could not audit a refused config.replace: ${String(e)}`);
      });
      throw new ProtocolError('validation_failed', `the new ${fileName} is invalid; nothing was changed`, {
        errors,
      });
    }

    const current = readFileSync(this.file);
    const oldHash = configHash(current);
    if (oldHash !== expectedHash) {
      throw new ProtocolError(
        'conflict',
        `${fileName} changed since it was read; read it again (config.get) and redo the edit`,
        { hash: oldHash },
      );
    }
    const newHash = configHash(text);
    const previous = this.config.current;
    writeFileAtomically(backupPath(this.file), current);
    writeFileAtomically(this.file, text);
    this.config.replace(next, newHash);
    this.logger.log(`${fileName} replaced over the protocol by ${actor}: applied`);
    await this.applier.apply().catch((error: unknown) => {
      this.logger.error(`applying the new config to live sessions failed: ${String(error)}`);
    });
    this.bus.publish('config.changed', { hash: newHash }); // the other processes follow (ConfigFollower)
    // The file is in place and running; a failed audit write is logged rather than reported as a
    // failed replacement, which would invite a retry that conflicts.
    await this.audit
      .record(actor, 'config.replaced', fileName, { oldHash, newHash, ...summariseChange(previous, next) })
      .catch((error: unknown) => {
        this.logger.error(`could not audit a config.replace: ${String(error)}`);
      });
    return { hash: newHash };
  }
}
