import { runCli } from './cli';

/** Entry point: `npm run cli -- <command>` (see `npm run cli -- --help`). */
const output = {
  out: (line: string) => process.stdout.write(line + '\n'),
  err: (line: string) => process.stderr.write(line + '\n'),
};

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

runCli(process.argv.slice(2), output, interrupted).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Not an expected failure: a bug, so show everything.
    process.stderr.write(
      `mpqcht cli: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
