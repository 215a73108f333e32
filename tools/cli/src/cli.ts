import { commandUsage, parseCommandLine } from './args';
import { type Output, runCommand, type StopSignal } from './commands';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, ProtocolFailure, UsageError } from './errors';

/**
 * Runs one command line and returns the exit code. Expected failures become one line on stderr:
 * usage errors (2), protocol errors as `error: <code>: <message>` (1), other known errors (1).
 * Only a bug shows a stack trace.
 */
export async function runCli(argv: readonly string[], output: Output, stop: StopSignal): Promise<number> {
  let invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`error: ${error.message}`);
    output.err(error.command ? commandUsage(error.command) : 'run `npm run cli -- --help` for the commands');
    return EXIT_USAGE;
  }
  if (invocation.kind === 'help') {
    output.out(invocation.text);
    return EXIT_OK;
  }
  try {
    return await runCommand(invocation.command, output, stop);
  } catch (error) {
    if (error instanceof ProtocolFailure) {
      output.err(`error: ${error.code}: ${error.message}`);
      if (error.details) output.err(`details: ${JSON.stringify(error.details)}`);
      return EXIT_FAILURE;
    }
    if (error instanceof CliError) {
      output.err(`error: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
