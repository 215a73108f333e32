/**
 * CPU over a stretch of search requests, % of one core: the load generator (workers and
 * coordinator), the api process, its PostgreSQL backends, and everything else on the machine (noise).
 */
import { nowMs } from '../clock';
import type { Load } from '../load';
import { cpuSpentMs, cpuTimes, machineBusyMs, totalCpuMs } from '../system';

export interface CpuUse {
  readonly loadPercent: number;
  readonly serverPercent: number;
  readonly postgresPercent: number;
  readonly otherPercent: number;
}

export async function cpuMeter(load: Load): Promise<() => Promise<CpuUse>> {
  const loadPids = [...load.pool.pids, process.pid];
  const serverPid = load.server.process.pid;
  const t0 = nowMs();
  const load0 = totalCpuMs(loadPids);
  const server0 = totalCpuMs([serverPid]);
  const postgres0 = cpuTimes(await load.server.postgresPids());
  const machine0 = machineBusyMs();
  return async () => {
    const elapsed = nowMs() - t0;
    const loadMs = totalCpuMs(loadPids) - load0;
    const serverMs = totalCpuMs([serverPid]) - server0;
    const postgresMs = cpuSpentMs(postgres0, cpuTimes(await load.server.postgresPids()));
    const otherMs = Math.max(0, machineBusyMs() - machine0 - loadMs - serverMs - postgresMs);
    const percent = (ms: number) => (100 * ms) / elapsed;
    return {
      loadPercent: percent(loadMs),
      serverPercent: percent(serverMs),
      postgresPercent: percent(postgresMs),
      otherPercent: percent(otherMs),
    };
  };
}
