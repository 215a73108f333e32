import type { ScrollAnchor } from '../servers/saved-place.storage';

const ROWS = 'article.message[data-state="sent"][data-message]';

/**
 * The message at the top edge of the scroller (the first one whose bottom is below that edge),
 * and how far its top is from the edge: what the person was reading, independent of how many
 * messages arrive below it or load above it later.
 */
export function anchorIn(scroller: HTMLElement): ScrollAnchor | null {
  const rows = scroller.querySelectorAll<HTMLElement>(ROWS);
  const top = scroller.getBoundingClientRect().top;
  // Rows are in document order, top to bottom: a binary search costs a few layout reads.
  let low = 0;
  let high = rows.length - 1;
  let found: HTMLElement | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const row = rows[middle];
    if (!row) break;
    if (row.getBoundingClientRect().bottom > top) {
      found = row;
      high = middle - 1;
    } else {
      low = middle + 1;
    }
  }
  const messageId = found?.getAttribute('data-message');
  if (!found || !messageId) return null;
  return { messageId, offset: Math.round(found.getBoundingClientRect().top - top) };
}

/** Scrolls so the anchor's message is where it was; false when the message is not rendered. */
export function scrollToAnchor(scroller: HTMLElement, anchor: ScrollAnchor): boolean {
  const row = Array.from(scroller.querySelectorAll<HTMLElement>(ROWS)).find(
    (r) => r.getAttribute('data-message') === anchor.messageId,
  );
  if (!row) return false;
  const offset = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  scroller.scrollTop += offset - anchor.offset;
  return true;
}
