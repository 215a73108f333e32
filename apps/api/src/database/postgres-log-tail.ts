import * as fs from 'node:fs';

/** Enough of the end of the file for the last few messages, however large the log has grown. */
const TAIL_BYTES = 16 * 1024;
/**
 * Only PostgreSQL's own status lines: `LOG`, `WARNING`, `FATAL` and `PANIC` say why a server
 * stopped; `ERROR`, `DETAIL` and `STATEMENT` lines are about clients' statements and may quote the
 * values in them, which the api never logs.
 */
const STATUS_LINE = /\b(LOG|WARNING|FATAL|PANIC):\s/;

/** The last `count` status lines of PostgreSQL's log file, or [] when it cannot be read. */
export function postgresLogTail(file: string, count = 8): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    // The first line of a tail that does not start at the beginning of the file is cut.
    if (length < size) lines.shift();
    return lines.filter((line) => STATUS_LINE.test(line)).slice(-count);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
