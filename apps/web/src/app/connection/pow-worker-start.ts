/**
 * Starts the proof-of-work worker. Its own module, loaded with `import()`: the bundler makes the
 * worker a chunk of its own from this `new Worker(new URL(...))`, and unit tests never load it.
 */
export function startPowWorker(): Worker {
  return new Worker(new URL('./pow.worker', import.meta.url), { type: 'module', name: 'mpqcht-pow' });
}
