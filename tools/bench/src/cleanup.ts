/**
 * What must not outlive the harness (servers it started, their databases): registered here and
 * undone on a normal end as well as on SIGINT/SIGTERM (Ctrl-C, a timeout).
 */
const tasks = new Set<() => Promise<void>>();
let signalled = false;

/** Registers an undo; returns a function that runs it (once) and unregisters it. */
export function onCleanup(task: () => Promise<void>): () => Promise<void> {
  let done = false;
  const once = async () => {
    tasks.delete(once);
    if (done) return;
    done = true;
    await task();
  };
  tasks.add(once);
  return once;
}

async function runAll(): Promise<void> {
  await Promise.allSettled([...tasks].map((task) => task()));
}

function onSignal(signal: NodeJS.Signals): void {
  if (signalled) return;
  signalled = true;
  console.error(`\nbench: ${signal}: stopping the servers it started`);
  const timer = setTimeout(() => process.exit(130), 20_000);
  void runAll().finally(() => {
    clearTimeout(timer);
    process.exit(130);
  });
}

/** True once SIGINT/SIGTERM arrived: nothing more should be measured or written. */
export function interrupted(): boolean {
  return signalled;
}

export function installSignalHandlers(): void {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
