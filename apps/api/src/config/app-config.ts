import type { CommunityConfig } from './community-config';
import type { Env } from './env';

/**
 * The one typed configuration the api runs with: process settings from the environment and the
 * community's structure from config.toml. Nothing else reads `process.env` or the file.
 */
export class AppConfig {
  constructor(
    readonly env: Env,
    private community: CommunityConfig,
  ) {}

  private hash: string | undefined;

  get current(): CommunityConfig {
    return this.community;
  }

  /**
   * The sha-256 of the config.toml text last applied live (`undefined` until the first live change):
   * the watcher skips a file whose hash this already is, e.g. one written by `config.replace`.
   */
  get appliedHash(): string | undefined {
    return this.hash;
  }

  /** Swaps in a validated config.toml (live reload); readers see it from their next access on. */
  replace(next: CommunityConfig, hash?: string): void {
    this.community = next;
    if (hash !== undefined) this.hash = hash;
  }
}
