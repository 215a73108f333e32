import { ACCEPTABLE_PASSPHRASE_BITS, passphraseStrength } from './passphrase-strength';

async function bitsOf(passphrase: string, context: string[] = []): Promise<number> {
  return (await passphraseStrength(passphrase, context)).bits;
}

describe('passphraseStrength', () => {
  it('accepts at 60 bits', () => {
    expect(ACCEPTABLE_PASSPHRASE_BITS).toBe(60);
  });

  it('asks for a passphrase when empty', async () => {
    expect(await passphraseStrength('')).toEqual({
      score: 0,
      bits: 0,
      acceptable: false,
      hints: ['Enter a passphrase.'],
    });
  });

  it.each([
    ['velvet kayak quorum tundra', 'ada'],
    ['saffron glacier mosaic puffin', 'brook'],
    ['walnut comet harbor lichen', 'carol'],
    ['marble osprey cobalt thistle', 'dora'],
    ['tulip pyramid saddle oyster', 'tulip'],
    ['ocean-lamp-violin-crater', 'x'],
    ['purple elephant dances quietly', 'purple'],
    ['ünïcödé wörds ärë fün', 'x'],
    ['Xk9#mQ2!pL7zR4w%Bn8&', 'x'],
  ])('accepts %j for %s (random words or random characters)', async (passphrase, username) => {
    const result = await passphraseStrength(passphrase, [username]);
    expect(result.acceptable).toBe(true);
    expect(result.bits).toBeGreaterThanOrEqual(60);
    expect(result.score).toBeGreaterThanOrEqual(3);
    expect(result.hints).toEqual([]);
  });

  it.each([
    ['Password123!', 'commonly used password'],
    ['password', 'heavily used password'],
    ['p@ssw0rd', 'substitutions'],
    ['drowssap', 'reversed'],
    ['P@ssw0rd!', 'substitutions'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Repeated'],
    ['passwordpasswordpassword', 'Repeated'],
    ['abcdefghijklmnopqrstuvwxyz', 'sequences'],
    ['zyxwvutsrqpon', 'sequences'],
    ['1234567890', 'frequently used password'],
    ['Summer2024!', 'longer'],
    ['river', 'Single words'],
    ['the and you that', 'longer'],
    ['blue house green water', 'Add another'],
    ['glass tiger mountain river', 'Add another'],
    ['Xk9#mQ2!pL7z', 'longer'],
  ])('refuses %j with a hint mentioning %s', async (passphrase, hint) => {
    const result = await passphraseStrength(passphrase);
    expect(result.acceptable).toBe(false);
    expect(result.bits).toBeLessThan(60);
    expect(result.score).toBeLessThanOrEqual(2);
    expect(result.hints.join(' ')).toContain(hint);
  });

  it('scores the classic examples low', async () => {
    expect(await bitsOf('Password123!')).toBeLessThan(25);
    expect((await passphraseStrength('Password123!')).score).toBe(0);
    expect(await bitsOf('Tr0ub4dor&3')).toBeLessThan(40);
  });

  it('penalises the context words (username, server name)', async () => {
    const alone = await passphraseStrength('mirabelle quokka');
    const withContext = await passphraseStrength('mirabelle quokka', ['Mirabelle', 'quokka.chat.example']);
    expect(withContext.bits).toBeLessThan(alone.bits);
    expect(withContext.bits).toBeLessThan(30);
    expect(withContext.hints.join(' ')).toContain('username');
  });

  it('finds a context word inside a longer passphrase and refuses it if that makes it weak', async () => {
    expect((await passphraseStrength('alicealice2024', ['alice'])).acceptable).toBe(false);
    // Context words shorter than 3 characters are ignored.
    expect((await passphraseStrength('tulip pyramid saddle oyster', ['a', 'ty'])).acceptable).toBe(true);
  });

  it('grows with length: more random words, more bits', async () => {
    const two = await bitsOf('tulip pyramid');
    const three = await bitsOf('tulip pyramid saddle');
    const four = await bitsOf('tulip pyramid saddle oyster');
    expect(two).toBeLessThan(three);
    expect(three).toBeLessThan(four);
    expect((await passphraseStrength('tulip pyramid saddle')).acceptable).toBe(false);
  });

  it('gives more credit to random characters than to a dictionary-looking word of the same length', async () => {
    expect(await bitsOf('xkqzpvbwmrtl')).toBeGreaterThan(await bitsOf('kejotubasilo'));
  });

  it('applies NFKC first, so full-width letters are no stronger', async () => {
    expect(await bitsOf('ｐａｓｓｗｏｒｄ')).toBe(await bitsOf('password'));
  });

  it('maps bits to scores 0-4 monotonically', async () => {
    const samples = [
      'a',
      'river',
      'Tr0ub4dor&3',
      'kejotubasilo',
      'xkqzpvbwmrtl',
      'tulip pyramid saddle oyster',
    ];
    const results = (await Promise.all(samples.map((s) => passphraseStrength(s)))).sort(
      (x, y) => x.bits - y.bits,
    );
    for (let i = 1; i < results.length; i++) {
      expect(results[i]?.score ?? 0).toBeGreaterThanOrEqual(results[i - 1]?.score ?? 0);
    }
    expect((await passphraseStrength('purple elephant dances quietly over meadows')).score).toBe(4);
  });

  it('rates long repetitive input as weak (only the first 128 characters are analysed)', async () => {
    for (const input of ['x'.repeat(10_000), 'ab'.repeat(5000), 'abc1'.repeat(2500), 'é'.repeat(500)]) {
      expect((await passphraseStrength(input)).acceptable).toBe(false);
    }
  });
});
