/**
 * The printed table: one row per metric, a column per server with the ratio to bare Socket.IO, and
 * beside every figure measured under load the load generator's CPU (% of one core).
 */
import type { Latency } from './histogram';
import { powRows } from './pow/report-rows';
import type { TargetResult } from './run-target';
import type { Saturation } from './saturation';
import { searchRows } from './search/report-rows';
import type { StepResult, StreamKind } from './step';

export interface Figure {
  readonly value: number | null;
  /** The load generator's CPU while it was measured, when it was measured under load. */
  readonly loadCpu?: number | null;
  /** Shown before the value: `≥` for a lower bound. */
  readonly prefix?: string;
  /** Shown after the value. */
  readonly note?: string;
}

export interface Row {
  readonly metric: string;
  readonly unit: string;
  readonly figure: (result: TargetResult) => Figure;
}

const BASELINE = 'socket.io';

function fanOut(result: TargetResult, n: number, stream: StreamKind = 'channel'): Saturation | undefined {
  return result.fanOuts.find((f) => f.fanOut === n && f.stream === stream);
}

function stepFigure(step: StepResult | null | undefined, value: (s: StepResult) => number | null): Figure {
  return step ? { value: value(step), loadCpu: step.loadCpuPercent } : { value: null };
}

function latencyRows(label: string, at: (r: TargetResult) => StepResult | null | undefined): Row[] {
  const rows: Row[] = [];
  const pick = (key: 'sendToAckMs' | 'sendToReceiveMs', p: keyof Latency) => (s: StepResult) =>
    s[key]?.[p] ?? null;
  for (const [key, name] of [
    ['sendToAckMs', 'send→ack'],
    ['sendToReceiveMs', 'send→receive'],
  ] as const) {
    for (const p of ['p50', 'p95', 'p99'] as const) {
      rows.push({
        metric: `${label} ${name} ${p}`,
        unit: 'ms',
        figure: (r) => stepFigure(at(r), pick(key, p)),
      });
    }
  }
  return rows;
}

function ratio(value: number | null | undefined, base: number | null | undefined): Figure {
  return { value: value === null || value === undefined || !base ? null : value / base };
}

/** The most CPU other processes took during any load step or ramp level of this server. */
function maxNoise(result: TargetResult): number {
  const steps = result.fanOuts.flatMap((f) => [...f.steps, ...(f.atHalf ? [f.atHalf] : [])]);
  return Math.max(
    0,
    ...steps.map((s) => s.otherCpuPercent),
    ...(result.ramp?.levels.map((l) => l.otherCpuPercent) ?? []),
  );
}

function rows(results: readonly TargetResult[]): Row[] {
  const levels = results.find((r) => r.ramp)?.ramp?.levels.map((l) => l.target) ?? [];
  const fanOuts = [...new Set(results.flatMap((r) => r.fanOuts.map((f) => f.fanOut)))];
  const streamsAt = (n: number) =>
    (['channel', 'thread'] as const).filter((stream) =>
      results.some((r) => fanOut(r, n, stream) !== undefined),
    );
  const list: Row[] = [
    { metric: 'cold start: listening', unit: 'ms', figure: (r) => ({ value: r.coldStart.listeningMs }) },
    {
      metric: 'cold start: first message delivered',
      unit: 'ms',
      figure: (r) => ({ value: r.coldStart.firstMessageMs }),
    },
    { metric: 'idle RSS', unit: 'MB', figure: (r) => ({ value: r.idle.rssMb }) },
    { metric: 'idle PostgreSQL PSS', unit: 'MB', figure: (r) => ({ value: r.idle.postgresPssMb }) },
  ];
  levels.forEach((connections, i) => {
    const level = (r: TargetResult) => r.ramp?.levels[i];
    const previous = i === 0 ? 0 : levels[i - 1];
    list.push(
      {
        metric: `RSS at ${connections} connections`,
        unit: 'MB',
        figure: (r) => {
          const l = level(r);
          const short = l && l.connections < l.target ? ` (only ${l.connections} open)` : '';
          return { value: l?.rssMb ?? null, loadCpu: l?.loadCpuPercent, note: short };
        },
      },
      {
        metric: `logins/s ${previous}→${connections}`,
        unit: '/s',
        figure: (r) => ({ value: level(r)?.handshakesPerSecond ?? null, loadCpu: level(r)?.loadCpuPercent }),
      },
      {
        metric: `login handshake p99 ${previous}→${connections}`,
        unit: 'ms',
        figure: (r) => ({ value: level(r)?.handshakeMs?.p99 ?? null, loadCpu: level(r)?.loadCpuPercent }),
      },
    );
  });
  list.push({
    metric: 'RSS per 1,000 connections',
    unit: 'MB',
    figure: (r) => ({ value: r.ramp?.rssPer1000Mb ?? null }),
  });
  for (const [n, stream] of fanOuts.flatMap((n) => streamsAt(n).map((stream) => [n, stream] as const))) {
    const label = `fan-out ${n}${stream === 'thread' ? ' thread' : ''}`;
    const at = (r: TargetResult) => fanOut(r, n, stream)?.atSaturation;
    list.push(
      {
        metric: `${label} saturation`,
        unit: 'msg/s',
        figure: (r) => {
          const f = fanOut(r, n, stream);
          return {
            value: f?.rate ?? null,
            loadCpu: f?.atSaturation?.loadCpuPercent,
            prefix: f?.bound === 'cap' || f?.loadBound ? '≥' : '',
          };
        },
      },
      {
        metric: `${label} accepted/s at saturation`,
        unit: '/s',
        figure: (r) => stepFigure(at(r), (s) => s.acceptedPerSecond),
      },
      {
        metric: `${label} persisted/s at saturation`,
        unit: '/s',
        figure: (r) => stepFigure(at(r), (s) => s.persistedPerSecond),
      },
      {
        metric: `${label} delivered/s at saturation`,
        unit: '/s',
        figure: (r) => stepFigure(at(r), (s) => s.deliveredPerSecond),
      },
      {
        metric: `${label} server CPU at saturation`,
        unit: '%',
        figure: (r) => stepFigure(at(r), (s) => s.serverCpuPercent),
      },
      ...latencyRows(`${label} @ half:`, (r) => fanOut(r, n, stream)?.atHalf),
    );
    if (stream === 'thread') {
      // Beside the channel's figure: the same receivers, the sender sending into a thread instead.
      list.push(
        {
          metric: `${label} saturation ÷ channel's`,
          unit: 'x',
          figure: (r) => ratio(fanOut(r, n, stream)?.rate, fanOut(r, n)?.rate),
        },
        {
          metric: `${label} @ half: send→receive p99 ÷ channel's`,
          unit: 'x',
          figure: (r) =>
            ratio(
              fanOut(r, n, stream)?.atHalf?.sendToReceiveMs?.p99,
              fanOut(r, n)?.atHalf?.sendToReceiveMs?.p99,
            ),
        },
      );
    }
  }
  list.push(
    {
      metric: 'history page p50 (1 at a time)',
      unit: 'ms',
      figure: (r) => ({ value: r.history?.pageMs?.p50 ?? null, loadCpu: r.history?.loadCpuPercent }),
    },
    {
      metric: 'history page p99 (1 at a time)',
      unit: 'ms',
      figure: (r) => ({ value: r.history?.pageMs?.p99 ?? null, loadCpu: r.history?.loadCpuPercent }),
    },
    ...searchRows(),
    ...powRows(results),
    { metric: 'RSS after load', unit: 'MB', figure: (r) => ({ value: r.afterLoad?.rssMb ?? null }) },
    {
      metric: 'noise: other processes, max over steps',
      unit: '% CPU',
      figure: (r) => ({ value: maxNoise(r) }),
    },
    {
      metric: 'PostgreSQL PSS after load',
      unit: 'MB',
      figure: (r) => ({ value: r.afterLoad?.postgresPssMb ?? null }),
    },
  );
  return list;
}

export function format(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : value.toFixed(abs >= 10 ? 1 : 2);
}

function cell(figure: Figure, unit: string): string {
  if (figure.value === null || Number.isNaN(figure.value)) return 'n/a';
  const load =
    figure.loadCpu === undefined || figure.loadCpu === null ? '' : ` (load ${figure.loadCpu.toFixed(0)}%)`;
  return `${figure.prefix ?? ''}${format(figure.value)} ${unit}${figure.note ?? ''}${load}`.trim();
}

export function table(results: readonly TargetResult[]): string {
  const baseline = results.find((r) => r.name === BASELINE);
  const header = ['metric'];
  for (const result of results) {
    header.push(result.name);
    if (result !== baseline && baseline) header.push(`${result.name} ÷ ${BASELINE}`);
  }
  const lines: string[][] = [header];
  for (const row of rows(results)) {
    const line = [`${row.metric} (${row.unit})`];
    const base = baseline ? row.figure(baseline).value : null;
    for (const result of results) {
      const figure = row.figure(result);
      line.push(cell(figure, ''));
      if (result !== baseline && baseline) {
        line.push(figure.value !== null && base ? `${(figure.value / base).toFixed(2)}x` : 'n/a');
      }
    }
    if (line.slice(1).some((c) => c !== 'n/a')) lines.push(line);
  }
  const widths = header.map((_, col) => Math.max(...lines.map((line) => line[col]?.length ?? 0)));
  const render = (line: readonly string[]) =>
    `| ${line.map((c, col) => c.padEnd(widths[col] ?? 0)).join(' | ')} |`;
  return [
    render(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.slice(1).map(render),
  ].join('\n');
}
