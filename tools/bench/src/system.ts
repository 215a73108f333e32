/** What the harness reads from Linux about processes (/proc), and core pinning (taskset). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

function kb(file: string, field: string): number {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process in MB (VmRSS); NaN if unreadable. */
export function rssMb(pid: number): number {
  return kb(`/proc/${pid}/status`, 'VmRSS');
}

/** Proportional set size in MB (shared pages divided among their users); NaN if unreadable. */
export function pssMb(pid: number): number {
  return kb(`/proc/${pid}/smaps_rollup`, 'Pss');
}

/** Sum of PSS over processes, NaN when none was readable. */
export function totalPssMb(pids: readonly number[]): number {
  const values = pids.map(pssMb).filter((v) => !Number.isNaN(v));
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0);
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a process (all its threads) in ms; 0 if it is gone. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
}

/**
 * How long the main thread of a process (for Node: the event loop) has waited on a run queue,
 * runnable but not running, in ms (/proc/<pid>/schedstat); NaN if unreadable. Over a stretch, it
 * says how much the process was held up by other processes on its core.
 */
export function runQueueWaitMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/);
    return Number(fields[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

export function totalCpuMs(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/** CPU time per process, to subtract later with `cpuSpentMs`. */
export function cpuTimes(pids: readonly number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuMs(pid)]));
}

/**
 * CPU spent between two `cpuTimes` snapshots by the processes alive at the second one (a process
 * that appeared in between counts from zero; one that is gone cannot be read any more).
 */
export function cpuSpentMs(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += Math.max(0, ms - (before.get(pid) ?? 0));
  return spent;
}

/**
 * CPU time the whole machine spent in processes (user, nice, system over every core, from
 * /proc/stat) or stolen by the hypervisor, in ms: minus what the harness measured of its own
 * processes, it shows what else ran during a measurement (another test run makes the figures
 * noisy). Interrupt time is left out: it belongs to no process, and loopback traffic makes some.
 */
export function machineBusyMs(): number {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/) ?? [];
    const ticks = [1, 2, 3, 8].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return (ticks * 1000) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** The direct children of a process. */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === parent) children.push(Number(entry));
  }
  return children;
}

let tasksetAvailable: boolean | undefined;

export function canPin(): boolean {
  if (os.cpus().length < 2) return false;
  if (tasksetAvailable === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetAvailable = true;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** Pins every thread of `pid` to `cores` (e.g. "0" or "0-1") with taskset; false when it cannot. */
export function pin(pid: number, cores: number | string): boolean {
  if (!canPin()) return false;
  try {
    execFileSync('taskset', ['-a', '-cp', String(cores), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every core, as taskset writes it ("0-1" on two cores). */
export function allCores(): string {
  return `0-${os.cpus().length - 1}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
