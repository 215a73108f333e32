/** The config.toml mpqcht runs with under the benchmark. */

/** The channel of the load, and the channel seeded for history pages. */
export const LOAD_CHANNEL = 'bench';
export const HISTORY_CHANNEL = 'history';
/** The channels of the search part's corpus (search/measure.ts), in its server run only. */
export const SEARCH_CHANNELS: readonly string[] = Array.from({ length: 50 }, (_, i) => `s${i}`);
/** The role every load member is authorized with. */
export const LOAD_ROLE = 'load';

function channel(id: string): string {
  return `
[[channels]]
id = "${id}"
name = "${id}"
group = "general"
`;
}

/**
 * `[pow]` (docs/configuration.md). Off for the ramp, load, history and search parts: their fresh
 * clients log in far more than `raise_above` times a second without a login pass, so the default
 * would make them solve proofs-of-work in the load generator; they measure the login path and the
 * load behind it; the pow part measures the proof-of-work on a server of its own.
 */
export interface PowToml {
  readonly enabled: boolean;
  /** `calm_seconds`, when not the default (the quick plan's pow part shortens the calm-down). */
  readonly calmSeconds?: number;
}

export const POW_OFF: PowToml = { enabled: false };

function powSection(pow: PowToml): string {
  const calm = pow.calmSeconds === undefined ? '' : `\ncalm_seconds = ${pow.calmSeconds}`;
  return `\n[pow]\nenabled = ${pow.enabled}${calm}\n`;
}

/**
 * `extraChannels`: more channels beside `bench` and `history` (the search part's); `pow`: the
 * `[pow]` section (off unless the pow part asks).
 */
export function benchConfig(
  rootKey: string,
  extraChannels: readonly string[] = [],
  pow: PowToml = POW_OFF,
): string {
  return `
[server]
name = "bench"
root_keys = ["${rootKey}"]

[limits]
max_message_length = 4000
# Every load connection comes from 127.0.0.1: the per-IP limits must not bite.
challenges_per_minute = 1000000
challenge_burst = 100000
failed_logins_per_minute = 1000000
${powSection(pow)}
# The load members' own flood limit (per connection) at its ceiling and no slowmode, so that what
# stops a sender is the server's capacity (a \`rate_limited\` answer under overload is shedding).
[[roles]]
id = "${LOAD_ROLE}"
name = "Load"
limits = { burst = 10000, rate_per_second = 10000, slowmode_ms = 0 }

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "${LOAD_CHANNEL}"
name = "bench"
group = "general"

[[channels]]
id = "${HISTORY_CHANNEL}"
name = "history"
group = "general"
${extraChannels.map(channel).join('')}`;
}
