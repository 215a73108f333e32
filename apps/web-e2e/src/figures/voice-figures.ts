/**
 * Voice figures (docs/performance.md, "Voice figures"): not a test and not part of `npm test`.
 *
 *   npx nx run-many -t build -p api web
 *   npx tsx --tsconfig apps/web-e2e/tsconfig.json apps/web-e2e/src/figures/voice-figures.ts [--members=6] [--joins=5] [--seconds=20]
 *
 * (a) Join to first audio: one member is in the Lounge call, a second clicks Join; the time until
 *     its peer connection has received an audio packet (the page polls `__mpqchtVoiceStats()`
 *     every 20 ms), repeated `--joins` times (leaving in between). Median and max.
 * (b) A full mesh: `--members` Chromiums in one call on one api; once every link carries audio,
 *     CPU (utime + stime from /proc/<pid>/stat) of all Chromium processes and of the api over
 *     `--seconds`, as % of one core, and their memory (RSS summed, and PSS, which counts pages
 *     shared between Chromium's processes once).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person } from '../support/browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT, waitUntil } from '../support/pages';
import { connectAs, ok } from '../support/socket';
import { inCall, voiceToml } from '../support/voice-call';
import { audioFlowsInto, voiceStats } from '../support/voice-stats';

const NAMES = ['Ada', 'Brook', 'Cleo', 'Dov', 'Eun', 'Fai', 'Gus', 'Hal'];
const PASSPHRASE = 'lantern fjord copper mistral';
const TICKS = 100; // CLK_TCK on Linux

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime, clock ticks. */
  readonly ticks: number;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: the fields after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every process under `root` (itself included). */
function tree(root: number): Proc[] {
  const all = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== undefined);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const self = all.find((p) => p.pid === root);
  const queue = self ? [self] : [];
  while (queue.length > 0) {
    const p = queue.shift() as Proc;
    out.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** kB from /proc/<pid>/status (VmRSS) or smaps_rollup (Pss); 0 for a process gone meanwhile. */
function memoryKb(pid: number, file: 'status' | 'smaps_rollup', key: string): number {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
      fs.readFileSync(`/proc/${pid}/${file}`, 'utf8'),
    );
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Clicks Join (as a user does) and measures in the page, from the click event to the first poll
 * of the stats hook (every 20 ms) that shows an audio packet received; ms.
 */
async function joinToFirstPacket(person: Person): Promise<number> {
  await person.page.evaluate(() => {
    const w = window as unknown as { __figuresClickAt?: number };
    delete w.__figuresClickAt;
    document.addEventListener('click', () => (w.__figuresClickAt ??= performance.now()), {
      capture: true,
      once: true,
    });
  });
  await person.page.locator('[data-join-voice="lounge"]').click();
  return person.page.evaluate(async (timeoutMs) => {
    type Hook = () => Promise<{ packetsReceived: number }[]>;
    const w = window as unknown as { __mpqchtVoiceStats: Hook; __figuresClickAt?: number };
    const start = w.__figuresClickAt;
    if (start === undefined) throw new Error('the click was not seen');
    let last: unknown = [];
    while (performance.now() - start < timeoutMs) {
      const stats = await w.__mpqchtVoiceStats();
      last = stats;
      if (stats.some((s) => s.packetsReceived > 0)) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no audio packet in time: ${JSON.stringify(last)}`);
  }, WAIT);
}

const started = Date.now();
/** Where the run is, on stderr (the table goes to stdout). */
function progress(what: string): void {
  console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
}

async function main(): Promise<void> {
  const members = option('members', 6);
  const joins = option('joins', 5);
  const seconds = option('seconds', 20);
  if (members < 2 || members > NAMES.length) throw new Error(`--members: 2..${NAMES.length}`);
  const names = NAMES.slice(0, members);
  const ids: DerivedIdentity[] = await Promise.all(
    names.map((n) => deriveIdentity(`${n.toLowerCase()}-figures-e2e`, PASSPHRASE)),
  );
  const root = ids[0] as DerivedIdentity;
  const port = await freePort();
  const api = await startApi({ configToml: voiceToml(root.publicKey.hex), port });
  const people: Person[] = [];
  try {
    const device = await connectAs(api.url, root);
    await ok(device, 'member.join', { displayName: names[0] as string });
    for (const id of ids.slice(1)) await ok(device, 'members.authorize', { publicKey: id.publicKey.hex });
    device.close();
    for (const [i, name] of names.entries()) {
      progress(`${name}: browser, identity, server`);
      const person = await launchPerson(`figures-${name.toLowerCase()}`, { voiceStats: true });
      people.push(person);
      await person.context.grantPermissions(['microphone'], { origin: api.url });
      await createIdentity(person.page, api.url, `${name.toLowerCase()}-figures-e2e`, PASSPHRASE);
      await unlock(person.page);
      await addServer(person.page, api.url);
      if (i > 0) await joinAs(person.page, name);
      await channelTitle(person.page, 'lobby').waitFor({ timeout: WAIT });
    }
    const [first, second] = people as [Person, Person];

    // (a) Join to the first remote audio packet.
    progress('(a) joins');
    await first.page.locator('[data-join-voice="lounge"]').click();
    await first.page.locator('[data-test=voice-panel]').waitFor({ timeout: WAIT });
    const latencies: number[] = [];
    const stuck: string[] = [];
    for (let i = 0; i < joins; i++) {
      // A join whose audio never came within WAIT is counted apart (and reported), not timed.
      const ms = await joinToFirstPacket(second).catch((error: unknown) => {
        stuck.push(String(error).slice(0, 400));
        return undefined;
      });
      if (ms !== undefined) latencies.push(ms);
      progress(`join ${i + 1}: ${ms === undefined ? `no audio: ${stuck.at(-1)}` : `${ms.toFixed(0)} ms`}`);
      await second.page.locator('[data-test=voice-leave]').click();
      await waitUntil(async () => (await voiceStats(second.page)).length === 0, 'the second left');
      await waitUntil(async () => (await voiceStats(first.page)).length === 0, 'the first dropped the link');
    }

    // (b) Everyone in one call, audio on every link, then CPU and memory over `seconds`.
    // One after another, each once its own page lists it in the call, as people join.
    for (const [i, person] of people.slice(1).entries()) {
      progress(`(b) ${person.name} joins`);
      await person.page.locator('[data-join-voice="lounge"]').click();
      await inCall(person.page, names[i + 1] as string).waitFor({ timeout: WAIT });
    }
    progress('(b) waiting for audio on every link');
    const before = await Promise.all(
      people.map((p) => audioFlowsInto(p.page, p.name, members - 1, 6 * WAIT)),
    ).catch(async (error: unknown) => {
      // What each page has: its links and who its sidebar lists in the call.
      for (const p of people) {
        const stats = await voiceStats(p.page);
        const listed = await p.page
          .locator('mq-channel-sidebar [data-voice-members="lounge"] [data-participant]')
          .allTextContents();
        progress(
          `${p.name}: lists ${listed.map((t) => t.trim()).join(', ')}; links: ${stats
            .map((l) => `${l.participantId.slice(0, 8)} ${l.connectionState} ${l.bytesReceived} B`)
            .join('; ')}`,
        );
      }
      throw error;
    });
    const apiPid = api.child.pid as number;
    const split = () => {
      const apiTree = new Set(tree(apiPid).map((p) => p.pid));
      const browsers = tree(process.pid).filter((p) => !apiTree.has(p.pid) && /chrom/i.test(p.comm));
      return { api: tree(apiPid), browsers };
    };
    progress(`(b) measuring ${seconds} s`);
    const t0 = split();
    const wall0 = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const t1 = split();
    const wallS = Number(process.hrtime.bigint() - wall0) / 1e9;
    const after = await Promise.all(people.map((p) => voiceStats(p.page)));
    const cpu = (start: Proc[], end: Proc[]) => {
      const was = new Map(start.map((p) => [p.pid, p.ticks]));
      const ticks = end.reduce((sum, p) => sum + p.ticks - (was.get(p.pid) ?? 0), 0);
      return (100 * ticks) / TICKS / wallS;
    };
    const browserCpu = cpu(t0.browsers, t1.browsers);
    const apiCpu = cpu(t0.api, t1.api);
    const rssMb = t1.browsers.reduce((s, p) => s + memoryKb(p.pid, 'status', 'VmRSS'), 0) / 1024;
    const pssMb = t1.browsers.reduce((s, p) => s + memoryKb(p.pid, 'smaps_rollup', 'Pss'), 0) / 1024;
    const apiRssMb = memoryKb(apiPid, 'status', 'VmRSS') / 1024;

    // Every link kept carrying audio during the window.
    let links = 0;
    let bytes = 0;
    for (const [i, stats] of after.entries()) {
      for (const link of stats) {
        const was = before[i]?.find((s) => s.participantId === link.participantId);
        if (!was || link.bytesReceived <= was.bytesReceived)
          throw new Error(`${people[i]?.name}: no audio from ${link.participantId} during the window`);
        links++;
        bytes += link.bytesReceived - was.bytesReceived;
      }
    }

    const f = (n: number, digits = 0) => n.toFixed(digits);
    console.log(
      `\nVoice figures, ${new Date().toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}\n`,
    );
    console.log('| figure | value |');
    console.log('| --- | --- |');
    console.log(
      `| join → first remote audio packet, ${joins} joins (2 members) | median ${f(median(latencies))} ms, max ${f(Math.max(...latencies))} ms (${latencies.map((l) => f(l)).join(', ')}); ${stuck.length} without audio within ${WAIT / 1000} s |`,
    );
    console.log(
      `| ${members} members, all Chromium processes (${t1.browsers.length}), CPU over ${f(wallS, 1)} s | ${f(browserCpu)} % of one core, ${f(browserCpu / members, 1)} % per member |`,
    );
    console.log(`| ${members} members, api process, CPU | ${f(apiCpu, 1)} % of one core |`);
    console.log(
      `| ${members} members, Chromium memory | RSS summed ${f(rssMb)} MB (${f(rssMb / members)} MB per member), PSS ${f(pssMb)} MB (${f(pssMb / members)} MB per member) |`,
    );
    console.log(`| api memory | RSS ${f(apiRssMb)} MB |`);
    console.log(
      `| audio received during the window | ${links} links, ${f((bytes * 8) / wallS / links / 1000, 1)} kbit/s per link on average |`,
    );
  } finally {
    for (const person of people) await person.close().catch(() => undefined);
    await api.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
