import { decorateMentions, type MentionedMember } from './mention-chips';

/** What DOMPurify gave, in the DOM: the test's own fixed HTML, parsed. */
function rendered(html: string): HTMLElement {
  const root = document.createElement('div');
  root.append(...Array.from(new DOMParser().parseFromString(html, 'text/html').body.childNodes));
  return root;
}

const ADA: MentionedMember = { publicKey: 'k-ada', displayName: 'Ada', self: false };
const ME: MentionedMember = { publicKey: 'k-me', displayName: 'Brook', self: true };
const CHANNELS = [
  { id: 'lobby', name: 'lobby' },
  { id: 'off', name: 'off topic' },
];

const chips = (root: HTMLElement) =>
  Array.from(root.querySelectorAll<HTMLElement>('.mention')).map((chip) => ({
    tag: chip.tagName.toLowerCase(),
    className: chip.className,
    text: chip.textContent,
  }));

describe('decorateMentions', () => {
  it('makes a chip of each mentioned member, the reader’s own one marked self, with the display name', () => {
    const root = rendered('<p>hi @ada and @BROOK, see <strong>@Ada</strong></p>');
    decorateMentions(root, [ADA, ME], []);
    expect(chips(root)).toEqual([
      { tag: 'span', className: 'mention', text: '@Ada' },
      { tag: 'span', className: 'mention self', text: '@Brook' },
      { tag: 'span', className: 'mention', text: '@Ada' },
    ]);
    expect(root.textContent).toBe('hi @Ada and @Brook, see @Ada');
    expect(root.querySelector('[data-mention="k-me"]')?.className).toBe('mention self');
  });

  it('leaves code, names that run on into a word, and members the server did not resolve as text', () => {
    const root = rendered('<p><code>@Ada</code> @Adam @Grace</p><pre><code>@Ada</code></pre>');
    decorateMentions(root, [ADA], []);
    expect(chips(root)).toEqual([]);
    expect(root.innerHTML).toBe('<p><code>@Ada</code> @Adam @Grace</p><pre><code>@Ada</code></pre>');
  });

  it('makes channel chips, buttons that name the channel to open', () => {
    const root = rendered('<p>go to #lobby or #off topic, not #lobbyist</p>');
    decorateMentions(root, [], CHANNELS);
    expect(chips(root)).toEqual([
      { tag: 'button', className: 'mention channel', text: '#lobby' },
      { tag: 'button', className: 'mention channel', text: '#off topic' },
    ]);
    expect(
      Array.from(root.querySelectorAll<HTMLElement>('button')).map((b) => b.dataset['channelId']),
    ).toEqual(['lobby', 'off']);
  });

  it('only ever adds text: a name that looks like HTML stays text', () => {
    const sneaky: MentionedMember = {
      publicKey: 'k-x',
      displayName: '<img src=x onerror=alert(1)>',
      self: false,
    };
    const root = rendered('<p>@&lt;img src=x onerror=alert(1)&gt; hi</p>');
    decorateMentions(root, [sneaky], []);
    expect(root.querySelector('img')).toBeNull();
    expect(chips(root)).toEqual([
      { tag: 'span', className: 'mention', text: '@<img src=x onerror=alert(1)>' },
    ]);
  });

  it('is idempotent: chips already made are not decorated again', () => {
    const root = rendered('<p>@Ada</p>');
    decorateMentions(root, [ADA], []);
    decorateMentions(root, [ADA], []);
    expect(root.querySelectorAll('.mention')).toHaveLength(1);
  });
});
