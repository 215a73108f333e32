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

  get current(): CommunityConfig {
    return this.community;
  }

  /** Swaps in a validated config.toml (live reload); readers see it from their next access on. */
  replace(next: CommunityConfig): void {
    this.community = next;
  }
}
