/** The search part's rows of the printed table (report.ts); every figure is in the JSON too. */
import type { Latency } from '../histogram';
import type { Row } from '../report';
import type { TargetResult } from '../run-target';
import type { SearchRun } from './measure';

function latencyRows(label: string, at: (r: TargetResult) => SearchRun | undefined): Row[] {
  return (['p50', 'p95', 'p99'] as const).map((p: keyof Latency) => ({
    metric: `${label} ${p}${p === 'p95' ? ' (target ≤ 15 ms)' : ''}`,
    unit: 'ms',
    figure: (r) => {
      const run = at(r);
      return { value: run?.latencyMs?.[p] ?? null, loadCpu: run?.cpu.loadPercent };
    },
  }));
}

/** relation-sizes.ts names the table `messages` and its TOAST `messages (TOAST)`; the rest are indexes. */
const indexMb = (r: TargetResult) =>
  r.search?.relationSizes
    .filter((s) => s.name !== 'messages' && s.name !== 'messages (TOAST)')
    .reduce((n, s) => n + s.mb, 0) ?? null;

export function searchRows(): Row[] {
  const one = (r: TargetResult) => r.search?.oneAtATime;
  const many = (r: TargetResult) => r.search?.concurrent;
  const errors = (run: SearchRun | undefined) =>
    run ? Object.values(run.errors).reduce((n, e) => n + e, 0) : null;
  return [
    {
      metric: 'search: messages seeded',
      unit: 'messages',
      figure: (r) => ({ value: r.search?.messages ?? null }),
    },
    { metric: 'search: seed time', unit: 's', figure: (r) => ({ value: r.search?.seedSeconds ?? null }) },
    {
      metric: 'search: messages table (heap)',
      unit: 'MB',
      figure: (r) => ({ value: r.search?.relationSizes.find((s) => s.name === 'messages')?.mb ?? null }),
    },
    { metric: 'search: indexes of messages, all', unit: 'MB', figure: (r) => ({ value: indexMb(r) }) },
    ...latencyRows('search 1 at a time', one),
    ...latencyRows('search 50 in flight', many),
    {
      metric: 'search 50 in flight: answered/s',
      unit: '/s',
      figure: (r) => ({ value: many(r)?.perSecond ?? null, loadCpu: many(r)?.cpu.loadPercent }),
    },
    {
      metric: 'search 50 in flight: server / PostgreSQL CPU',
      unit: '%',
      figure: (r) => {
        const cpu = many(r)?.cpu;
        return cpu
          ? { value: cpu.serverPercent, note: `/ ${cpu.postgresPercent.toFixed(0)}` }
          : { value: null };
      },
    },
    {
      metric: 'search: failed requests',
      unit: 'requests',
      figure: (r) => {
        const a = errors(one(r));
        const b = errors(many(r));
        return { value: a === null && b === null ? null : (a ?? 0) + (b ?? 0) };
      },
    },
    {
      // Beside the `noise` row (load steps): search runs in a server run of its own.
      metric: 'search noise: other processes, max of both runs',
      unit: '% CPU',
      figure: (r) => {
        const runs = [one(r), many(r)].flatMap((run) => (run ? [run.cpu.otherPercent] : []));
        return { value: runs.length > 0 ? Math.max(...runs) : null };
      },
    },
  ];
}
