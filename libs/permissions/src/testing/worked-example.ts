/**
 * Reads the worked example of docs/permissions.md: the block or table after a
 * `<!-- worked-example:NAME -->` marker. Not part of the library's API.
 */

function linesAfterMarker(markdown: string, name: string): string[] {
  const marker = `<!-- worked-example:${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/permissions.md has no ${marker}`);
  const lines = markdown
    .slice(at + marker.length)
    .split('\n')
    .map((line) => line.trim());
  return lines.slice(lines.findIndex((line) => line !== ''));
}

/** The fenced code block right after the marker. */
export function exampleBlock(markdown: string, name: string): string {
  const lines = linesAfterMarker(markdown, name);
  if (!lines[0]?.startsWith('```')) throw new Error(`no code block after worked-example:${name}`);
  const end = lines.indexOf('```', 1);
  return lines.slice(1, end).join('\n');
}

/** The table right after the marker, as one record per body row keyed by the header cells. */
export function exampleTable(markdown: string, name: string): Record<string, string>[] {
  const lines = linesAfterMarker(markdown, name);
  const end = lines.findIndex((line) => !line.startsWith('|'));
  const rows = lines.slice(0, end < 0 ? lines.length : end).map((line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim().replace(/`/g, '')),
  );
  const [header, , ...body] = rows;
  if (!header || body.length === 0) throw new Error(`no table after worked-example:${name}`);
  return body.map((cells) => Object.fromEntries(header.map((key, i) => [key, cells[i] ?? ''])));
}

export function yesNo(cell: string | undefined): boolean {
  if (cell === 'yes') return true;
  if (cell === 'no') return false;
  throw new Error(`expected yes or no, got ${String(cell)}`);
}

export function number(cell: string | undefined): number {
  const value = Number(cell);
  if (cell === undefined || cell === '' || !Number.isFinite(value))
    throw new Error(`expected a number, got ${String(cell)}`);
  return value;
}

/** The members table: name → whether a root and the role ids listed. */
export function exampleMembers(markdown: string): Map<string, { isRoot: boolean; roles: string[] }> {
  return new Map(
    exampleTable(markdown, 'members').map((row) => [
      row['member'] ?? '',
      {
        isRoot: yesNo(row['root']),
        roles: (row['roles'] ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      },
    ]),
  );
}
