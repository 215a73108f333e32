/** The one progress line the harness keeps rewriting while it runs (a plain log when not a TTY). */
let started = performance.now();
let lastLogged = 0;

export function resetClock(): void {
  started = performance.now();
}

export function progressLine(text: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  const line = `[${elapsed} s] ${text}`;
  if (process.stdout.isTTY) {
    process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns || 120) - 1)}`);
  } else if (performance.now() - lastLogged > 2_000) {
    lastLogged = performance.now();
    console.log(line);
  }
}

/** A line that stays (the end of a phase). */
export function logLine(text: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
  console.log(`[${elapsed} s] ${text}`);
}
