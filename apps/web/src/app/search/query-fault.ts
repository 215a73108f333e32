/** A query the parser refused: its message and the part at fault, to show under the box. */
export interface QueryFault {
  readonly message: string;
  readonly before: string;
  readonly at: string;
  readonly after: string;
}

/** Splits the query around the part at `position` (up to the next space) for showing the fault. */
export function queryFault(query: string, message: string, position: number): QueryFault {
  const at = Math.max(0, Math.min(query.length, position));
  const length = query.slice(at).search(/\s|$/u);
  return {
    message,
    before: query.slice(0, at),
    at: query.slice(at, at + length),
    after: query.slice(at + length),
  };
}
