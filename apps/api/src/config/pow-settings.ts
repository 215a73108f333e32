import { z } from 'zod';

import { POW_EFFORT_CEILING } from '@mpqcht/protocol';

/**
 * `[pow]` in config.toml: adaptive proof-of-work in front of challenge issuance (docs/configuration.md).
 * The effort starts at 0 (no proof); when more than `raise_above` challenge requests a second
 * arrive without a login pass, it jumps to `initial_effort` and doubles every second the rate stays
 * above, up to `max_effort`; after `calm_seconds` below `lower_below` a second it halves, and drops
 * to 0 below `initial_effort`.
 */
export const PowSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    initial_effort: z.number().int().min(1).max(POW_EFFORT_CEILING).default(10_000),
    max_effort: z.number().int().min(1).max(POW_EFFORT_CEILING).default(1_000_000),
    raise_above: z.number().min(0).max(1_000_000).default(20),
    lower_below: z.number().min(0).max(1_000_000).default(5),
    calm_seconds: z.number().int().min(1).max(3600).default(10),
    challenge_ttl_seconds: z.number().int().min(10).max(3600).default(120),
  })
  .prefault({})
  .superRefine((pow, ctx) => {
    if (pow.initial_effort > pow.max_effort) {
      ctx.addIssue({ code: 'custom', path: ['initial_effort'], message: 'must not exceed max_effort' });
    }
    if (pow.lower_below > pow.raise_above) {
      ctx.addIssue({ code: 'custom', path: ['lower_below'], message: 'must not exceed raise_above' });
    }
  });

export interface PowSettings {
  readonly enabled: boolean;
  readonly initialEffort: number;
  readonly maxEffort: number;
  /** Challenge requests without a valid pass in one second above which the effort rises. */
  readonly raiseAbove: number;
  /** Such requests a second, averaged over the last 5 s, below which the server counts as calm. */
  readonly lowerBelow: number;
  readonly calmMs: number;
  readonly challengeTtlMs: number;
}

export function powSettings(parsed: z.output<typeof PowSettingsSchema>): PowSettings {
  return {
    enabled: parsed.enabled,
    initialEffort: parsed.initial_effort,
    maxEffort: parsed.max_effort,
    raiseAbove: parsed.raise_above,
    lowerBelow: parsed.lower_below,
    calmMs: parsed.calm_seconds * 1000,
    challengeTtlMs: parsed.challenge_ttl_seconds * 1000,
  };
}
