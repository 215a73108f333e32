/** The pow part's rows of the printed table (report.ts); every figure is in the JSON too. */
import type { Row } from '../report';
import type { TargetResult } from '../run-target';
import type { HonestFigures, PowPhase } from './measure';

function phaseOf(r: TargetResult, name: string): PowPhase | undefined {
  return r.pow?.phases.find((p) => p.name === name);
}

function honestRows(name: string, label: string, pick: (p: PowPhase) => HonestFigures): Row[] {
  const at = (r: TargetResult) => {
    const phase = phaseOf(r, name);
    return phase ? { h: pick(phase), loadCpu: phase.cpu.honestPercent } : undefined;
  };
  return [
    {
      metric: `pow ${name}: ${label} ok`,
      unit: '%',
      figure: (r) => {
        const x = at(r);
        return x ? { value: x.h.successPercent, note: ` of ${x.h.scheduled}` } : { value: null };
      },
    },
    {
      metric: `pow ${name}: ${label} logins/s`,
      unit: '/s',
      figure: (r) => ({ value: at(r)?.h.perSecond ?? null }),
    },
    {
      metric: `pow ${name}: ${label} p50 / p99`,
      unit: 'ms',
      figure: (r) => {
        const x = at(r);
        return x?.h.latencyMs
          ? { value: x.h.latencyMs.p50, note: ` / ${x.h.latencyMs.p99.toFixed(0)}`, loadCpu: x.loadCpu }
          : { value: null };
      },
    },
    {
      metric: `pow ${name}: ${label} solving p50 / max`,
      unit: 'ms',
      figure: (r) => {
        const s = at(r)?.h.solveMs;
        return s ? { value: s.p50, note: ` / ${s.max.toFixed(0)}` } : { value: null };
      },
    },
  ];
}

export function powRows(results: readonly TargetResult[]): Row[] {
  const names = results.find((r) => r.pow)?.pow?.phases.map((p) => p.name) ?? [];
  const rows: Row[] = [];
  if (names.length === 0) return rows;
  rows.push({
    metric: 'pow: server CPU per honest login (no flood)',
    unit: 'µs',
    figure: (r) => ({
      value: r.pow?.serverMicrosPerLogin ?? null,
      note: r.pow?.postgresMicrosPerLogin ? ` (+ PostgreSQL ${r.pow.postgresMicrosPerLogin.toFixed(0)})` : '',
    }),
  });
  for (const name of names) {
    const phase = (r: TargetResult) => phaseOf(r, name);
    rows.push(
      ...honestRows(name, 'with pass', (p) => p.pass),
      ...honestRows(name, 'new device', (p) => p.fresh),
    );
    rows.push({
      metric: `pow ${name}: effort max / mean`,
      unit: 'hashes',
      figure: (r) => {
        const e = phase(r)?.effort;
        return e ? { value: e.max, note: ` / ${e.mean.toFixed(0)}` } : { value: null };
      },
    });
    if (name === 'before') continue;
    rows.push(
      {
        metric: `pow ${name}: flood sent / answered`,
        unit: '/s',
        figure: (r) => {
          const f = phase(r)?.flood;
          return f
            ? {
                value: f.attemptedPerSecond,
                note: ` / ${f.answeredPerSecond.toFixed(0)}`,
                loadCpu: phase(r)?.cpu.floodPercent,
              }
            : { value: null };
        },
      },
      {
        metric: `pow ${name}: nonces issued to the flood`,
        unit: 'nonces',
        figure: (r) => ({ value: phase(r)?.flood?.codes['nonce'] ?? (phase(r)?.flood ? 0 : null) }),
      },
      {
        metric: `pow ${name}: server / PostgreSQL CPU per flood request`,
        unit: 'µs',
        figure: (r) => {
          const f = phase(r)?.flood;
          return f
            ? {
                value: f.serverMicrosPerRequest,
                note: ` / ${f.postgresMicrosPerRequest === null ? 'n/a' : f.postgresMicrosPerRequest.toFixed(0)}`,
              }
            : { value: null };
        },
      },
      {
        metric: `pow ${name}: server CPU`,
        unit: '%',
        figure: (r) => ({ value: phase(r)?.cpu.serverPercent ?? null }),
      },
      {
        metric: `pow ${name}: effort back to 0 after`,
        unit: 's',
        figure: (r) => ({ value: phase(r)?.calmAfterSeconds ?? null }),
      },
    );
  }
  rows.push({
    metric: 'pow noise: server waiting for its core, max over phases',
    unit: '%',
    figure: (r) => {
      const phases = r.pow?.phases ?? [];
      return { value: phases.length > 0 ? Math.max(...phases.map((p) => p.cpu.serverWaitPercent)) : null };
    },
  });
  rows.push({
    metric: 'pow noise: other processes, max over phases',
    unit: '% CPU',
    figure: (r) => {
      const phases = r.pow?.phases ?? [];
      return { value: phases.length > 0 ? Math.max(...phases.map((p) => p.cpu.otherPercent)) : null };
    },
  });
  return rows;
}
