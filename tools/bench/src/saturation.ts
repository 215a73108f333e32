/**
 * The saturation point at one fan-out: the highest offered rate whose step passes (p99 send→receive
 * under 250 ms, under 0.1 % errors). Doubling from a start rate until a step fails (or halving until
 * one passes), then bisecting (geometric midpoints) between the best pass and the lowest failure;
 * then the latencies at half that rate, in a longer step.
 */
import type { Load } from './load';
import { logLine } from './progress';
import { runStep, type StepResult, type StepSettings, type Stream, type StreamKind } from './step';

/** Load generator CPU (% of its core) from which a failure may be the load generator's. */
export const LOAD_BOUND_PERCENT = 90;
/** Other processes' CPU (% of one core) above which a failed step is tried once more. */
const NOISY_PERCENT = 20;

export interface SearchSettings {
  readonly startRate: number;
  /** Never offer more than this (the result is then a lower bound). */
  readonly maxRate: number;
  readonly bisections: number;
  readonly step: StepSettings;
  /** The longer step at half the saturation rate. */
  readonly halfRateSeconds: number;
}

export interface Saturation {
  readonly fanOut: number;
  /** What the sender sent into: the channel of the receivers, or a thread of it (mpqcht). */
  readonly stream: StreamKind;
  /** Highest passing rate (msg/s); 0 when even the lowest rate tried failed. */
  readonly rate: number;
  /** `cap`: every rate up to maxRate passed; `floor`: nothing passed. */
  readonly bound: 'found' | 'cap' | 'floor';
  /**
   * The load generator used at least LOAD_BOUND_PERCENT of its core in the first failing step: the
   * server may hold more than `rate`, the figure is a lower bound.
   */
  readonly loadBound: boolean;
  /** The step at `rate` (accepted, persisted and delivered per second at saturation). */
  readonly atSaturation: StepResult | null;
  /** The first failing step above it (what breaks first: latency, shedding, load CPU). */
  readonly firstFailure: StepResult | null;
  readonly atHalf: StepResult | null;
  readonly steps: StepResult[];
}

function describe(step: StepResult): string {
  const p99 = step.sendToReceiveMs ? `${step.sendToReceiveMs.p99.toFixed(1)} ms` : 'n/a';
  const errors = Object.entries(step.errors)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return (
    `${step.rate} msg/s: ${step.pass ? 'pass' : 'FAIL'} p99 ${p99}, ${(step.errorRate * 100).toFixed(2)} % errors` +
    `${errors ? ` (${errors})` : ''}${step.aborted ? ', stopped early' : ''}, ` +
    `cpu load ${step.loadCpuPercent.toFixed(0)} % server ${step.serverCpuPercent.toFixed(0)} %` +
    (step.postgresCpuPercent === null ? '' : ` postgres ${step.postgresCpuPercent.toFixed(0)} %`) +
    (step.otherCpuPercent >= 10 ? ` other ${step.otherCpuPercent.toFixed(0)} % (noise)` : '')
  );
}

export async function searchSaturation(
  load: Load,
  settings: SearchSettings,
  name: string,
  stream: Stream,
): Promise<Saturation> {
  const fanOut = load.receivers;
  const steps: StepResult[] = [];
  const label = `${name} fan-out ${fanOut}${stream.kind === 'thread' ? ' thread' : ''}`;
  const run = async (rate: number) => {
    let result = await runStep(load, rate, settings.step, label, stream);
    steps.push(result);
    logLine(`${label}: ${describe(result)}`);
    if (!result.pass && result.otherCpuPercent > NOISY_PERCENT) {
      // Another process took a core's worth meanwhile: once more before calling it a failure.
      result = await runStep(load, rate, settings.step, label, stream);
      steps.push(result);
      logLine(`${label}: again: ${describe(result)}`);
    }
    return result;
  };
  let best: StepResult | null = null;
  let failure: StepResult | null = null;
  let rate = settings.startRate;
  // Bracket: double while passing, halve while failing.
  for (;;) {
    const result = await run(rate);
    if (result.pass) {
      best = result;
      if (failure || rate * 2 > settings.maxRate) break;
      rate *= 2;
    } else {
      failure = result;
      if (best || rate <= 1) break;
      rate = Math.max(1, Math.floor(rate / 2));
    }
  }
  // Bisect between the best pass and the lowest failure.
  for (let i = 0; i < settings.bisections && best && failure; i++) {
    const middle = Math.round(Math.sqrt(best.rate * failure.rate));
    if (middle <= best.rate || middle >= failure.rate) break;
    const result = await run(middle);
    if (result.pass) best = result;
    else failure = result;
  }
  let atHalf: StepResult | null = null;
  if (best) {
    const half = Math.max(1, Math.round(best.rate / 2));
    atHalf = await runStep(
      load,
      half,
      { ...settings.step, seconds: settings.halfRateSeconds },
      `${label} half`,
      stream,
    );
    logLine(`${label} at half the saturation: ${describe(atHalf)}`);
  }
  return {
    fanOut,
    stream: stream.kind,
    rate: best?.rate ?? 0,
    bound: !best ? 'floor' : failure ? 'found' : 'cap',
    loadBound: failure !== null && failure.loadCpuPercent >= LOAD_BOUND_PERCENT,
    atSaturation: best,
    firstFailure: failure,
    atHalf,
    steps,
  };
}
