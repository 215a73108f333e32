import type { CommandName } from './args';

/** Wrong command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage applies, if known. */
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure (file exists, server unreachable, origin mismatch): one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The server answered with a protocol error envelope: printed as `error: <code>: <message>`, exit 1. */
export { ProtocolFailure } from '@mpqcht/protocol-client';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
