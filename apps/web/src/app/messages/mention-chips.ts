import { findNameMatches, type Nameable, type NameMatch } from './mention-text';

/** A member a message mentions (from `Message.mentions`), with the name to show. */
export interface MentionedMember {
  readonly publicKey: string;
  readonly displayName: string;
  /** The reader: their chip is the prominent one. */
  readonly self: boolean;
}

/** Text where a mention cannot be: code (the server skips it too) and chips already made. */
const SKIP = 'code, pre, .mention';
const SIGILS = /[@#\uFE6B\uFF20]/;

type Chip = NameMatch & { readonly kind: 'member' | 'channel' };

/**
 * Turns the mentions in a rendered message into chips, after DOMPurify's HTML is in the DOM: each
 * `@name` of a member the server resolved as mentioned becomes `<span class="mention">` (with
 * `self` for the reader), each `#name` of a channel the reader can see becomes a
 * `<button class="mention channel" data-channel-id>` that opens it. Chips are built with
 * createElement and textContent, never from HTML, so a name can only ever be text. A name written
 * across formatting (`@**Ada**`) stays text, as does a member the server did not resolve.
 */
export function decorateMentions(
  root: HTMLElement,
  members: readonly MentionedMember[],
  channels: readonly Nameable[],
): void {
  if (members.length === 0 && channels.length === 0) return;
  const doc = root.ownerDocument;
  const byKey = new Map(members.map((m) => [m.publicKey, m]));
  const memberNames = members.map((m) => ({ id: m.publicKey, name: m.displayName }));
  const channelsById = new Map(channels.map((c) => [c.id, c]));

  const texts: Text[] = [];
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (SIGILS.test(text.data) && !text.parentElement?.closest(SKIP)) texts.push(text);
  }

  for (const text of texts) {
    const chips = nonOverlapping([
      ...findNameMatches(text.data, '@', memberNames).map((m) => ({ ...m, kind: 'member' as const })),
      ...findNameMatches(text.data, '#', channels).map((m) => ({ ...m, kind: 'channel' as const })),
    ]);
    if (chips.length === 0) continue;
    const fragment = doc.createDocumentFragment();
    let position = 0;
    for (const chip of chips) {
      fragment.append(text.data.slice(position, chip.start));
      const member = chip.kind === 'member' ? byKey.get(chip.id) : undefined;
      const channel = chip.kind === 'channel' ? channelsById.get(chip.id) : undefined;
      if (member) fragment.append(memberChip(doc, member));
      else if (channel) fragment.append(channelChip(doc, channel));
      position = chip.end;
    }
    fragment.append(text.data.slice(position));
    text.replaceWith(fragment);
  }
}

/** In text order; a match inside an earlier one (a channel named `a@b`) is dropped. */
function nonOverlapping(chips: Chip[]): Chip[] {
  const kept: Chip[] = [];
  for (const chip of chips.sort((a, b) => a.start - b.start)) {
    const last = kept.at(-1);
    if (!last || chip.start >= last.end) kept.push(chip);
  }
  return kept;
}

function memberChip(doc: Document, member: MentionedMember): HTMLElement {
  const chip = doc.createElement('span');
  chip.className = member.self ? 'mention self' : 'mention';
  chip.textContent = `@${member.displayName}`;
  chip.dataset['mention'] = member.publicKey;
  return chip;
}

function channelChip(doc: Document, channel: Nameable): HTMLElement {
  const chip = doc.createElement('button');
  chip.type = 'button';
  chip.className = 'mention channel';
  chip.textContent = `#${channel.name}`;
  chip.dataset['channelId'] = channel.id;
  chip.title = `Open #${channel.name}`;
  return chip;
}
