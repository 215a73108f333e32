/** Marks ts_headline puts around each match: private-use characters, not expected in messages. */
export const HIGHLIGHT_START = '\u{E000}';
export const HIGHLIGHT_STOP = '\u{E001}';

/** The ts_headline options: the whole text, each match between the two marks. */
export const HEADLINE_OPTIONS = `HighlightAll=true, StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_STOP}"`;

/**
 * The `[start, end)` UTF-16 ranges of the marked matches in `content`, read off ts_headline's copy
 * of it. Should the copy differ from the content once the marks are removed (a message that itself
 * holds a mark character), no ranges: a wrong highlight is worse than none.
 */
export function highlightRanges(content: string, headline: string | null): [number, number][] {
  if (headline === null) return [];
  const ranges: [number, number][] = [];
  let plain = '';
  let start: number | null = null;
  for (const char of headline) {
    if (char === HIGHLIGHT_START) {
      start = plain.length;
    } else if (char === HIGHLIGHT_STOP) {
      if (start !== null && plain.length > start) ranges.push([start, plain.length]);
      start = null;
    } else {
      plain += char;
    }
  }
  return plain === content ? ranges : [];
}
