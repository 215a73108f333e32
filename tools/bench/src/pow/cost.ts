/** The pow part's arithmetic (pure, unit-tested): per-request CPU, rates, success. */

/**
 * CPU µs per request of a flood: what the process spent in a stretch of it (`cpuMs` over
 * `seconds`), less what it spends per second without the flood (`baselineMsPerSecond`: the
 * honest logins and the idle server, from the phase before any flood), over the flood's answered
 * requests. Null without requests; never below 0.
 */
export function floodMicrosPerRequest(
  cpuMs: number,
  seconds: number,
  baselineMsPerSecond: number,
  requests: number,
): number | null {
  if (requests <= 0 || !Number.isFinite(cpuMs)) return null;
  return (Math.max(0, cpuMs - baselineMsPerSecond * seconds) * 1000) / requests;
}

/** CPU µs per login when nothing else runs: all of the phase's CPU over its logins. */
export function microsPerLogin(cpuMs: number, logins: number): number | null {
  return logins > 0 && Number.isFinite(cpuMs) ? (cpuMs * 1000) / logins : null;
}

/** ok of scheduled, in %; null when nothing was scheduled. */
export function successPercent(ok: number, scheduled: number): number | null {
  return scheduled > 0 ? (100 * ok) / scheduled : null;
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

/** Counts of a stretch: `after − before`, per key (a key only in `after` counts from 0). */
export function countsBetween(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const d = n - (before[key] ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}

/** Effort samples (`[seconds, effort]`) within [from, to]: their max and time-weighted mean. */
export function effortIn(
  timeline: readonly (readonly [number, number])[],
  from: number,
  to: number,
): { max: number; mean: number } | null {
  const inside = timeline.filter(([t]) => t >= from && t <= to);
  if (inside.length === 0) return null;
  const max = Math.max(...inside.map(([, e]) => e));
  let weighted = 0;
  let span = 0;
  inside.forEach(([t, e], i) => {
    const next = inside[i + 1]?.[0] ?? to;
    weighted += e * (next - t);
    span += next - t;
  });
  return { max, mean: span > 0 ? weighted / span : (inside[0]?.[1] ?? 0) };
}
