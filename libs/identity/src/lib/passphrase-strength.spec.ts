import { ACCEPTABLE_PASSPHRASE_BITS, passphraseStrength } from './passphrase-strength';

describe('passphraseStrength', () => {
  it('accepts at 60 bits', () => {
    expect(ACCEPTABLE_PASSPHRASE_BITS).toBe(60);
  });

  it('asks for a passphrase when empty', () => {
    expect(passphraseStrength('')).toEqual({
      score: 0,
      bits: 0,
      acceptable: false,
      hints: ['Enter a passphrase.'],
    });
  });

  it.each([
    'tulip pyramid saddle oyster',
    'glass tiger mountain river',
    'ocean-lamp-violin-crater',
    'purple elephant dances quietly',
    'glasstigermountainriver',
    'Xk9#mQ2!pL7z',
  ])('accepts %j (random words or random characters)', (passphrase) => {
    const result = passphraseStrength(passphrase);
    expect(result.acceptable).toBe(true);
    expect(result.bits).toBeGreaterThanOrEqual(60);
    expect(result.score).toBeGreaterThanOrEqual(3);
    expect(result.hints).toEqual([]);
  });

  it.each([
    ['Password123!', 'common'],
    ['password', 'common'],
    ['p@ssw0rd', 'Look-alike'],
    ['drowssap', 'Reversed'],
    ['correct horse battery staple', 'common'],
    ['Correct-Horse-Battery-Staple', 'common'],
    ['blue house green water', 'common'],
    ['the and you that', 'common'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'repeated'],
    ['passwordpasswordpassword', 'repeated'],
    ['abcdefghijklmnopqrstuvwxyz', 'sequences'],
    ['qwertyuiopasdfghjkl', 'sequences'],
    ['1234567890', 'common'],
    ['9876543210', 'Reversed'],
    ['zyxwvutsrqpon', 'sequences'],
    ['P@ssw0rd!', 'Look-alike'],
    ['Summer2024!', 'years'],
    ['river', 'longer'],
  ])('refuses %j with a hint mentioning %s', (passphrase, hint) => {
    const result = passphraseStrength(passphrase);
    expect(result.acceptable).toBe(false);
    expect(result.bits).toBeLessThan(60);
    expect(result.score).toBeLessThanOrEqual(2);
    expect(result.hints.join(' ')).toContain(hint);
    expect(result.hints.length).toBeGreaterThan(0);
  });

  it('scores the classic examples low', () => {
    expect(passphraseStrength('Password123!').bits).toBeLessThan(25);
    expect(passphraseStrength('Password123!').score).toBe(0);
    expect(passphraseStrength('correct horse battery staple').score).toBe(0);
    expect(passphraseStrength('Tr0ub4dor&3').bits).toBeLessThan(28);
  });

  it('penalises the context words (username, server name)', () => {
    const alone = passphraseStrength('mirabelle quokka');
    const withContext = passphraseStrength('mirabelle quokka', ['Mirabelle', 'quokka.chat.example']);
    expect(withContext.bits).toBeLessThan(alone.bits);
    expect(withContext.bits).toBeLessThan(10);
    expect(withContext.hints.join(' ')).toContain('username');
  });

  it('finds a context word inside a longer passphrase and refuses it if that makes it weak', () => {
    const result = passphraseStrength('alicealice2024', ['alice']);
    expect(result.acceptable).toBe(false);
    expect(result.hints.join(' ')).toContain('username');
    // Context words shorter than 3 characters are ignored.
    expect(passphraseStrength('tulip pyramid saddle oyster', ['a', 'ty']).acceptable).toBe(true);
  });

  it('grows with length: more random words, more bits', () => {
    const two = passphraseStrength('tulip pyramid').bits;
    const three = passphraseStrength('tulip pyramid saddle').bits;
    const four = passphraseStrength('tulip pyramid saddle oyster').bits;
    expect(two).toBeLessThan(three);
    expect(three).toBeLessThan(four);
    expect(passphraseStrength('tulip pyramid saddle').acceptable).toBe(false);
  });

  it('gives more credit to random characters than to a dictionary-looking word of the same length', () => {
    expect(passphraseStrength('xkqzpvbwmrtl').bits).toBeGreaterThan(passphraseStrength('kejotubasilo').bits);
  });

  it('applies NFKC first, so full-width letters are no stronger', () => {
    expect(passphraseStrength('ｐａｓｓｗｏｒｄ').bits).toBe(passphraseStrength('password').bits);
  });

  it('counts non-ASCII letters as a larger pool', () => {
    expect(passphraseStrength('ünïcödé wörds ärë fün').acceptable).toBe(true);
  });

  it('maps bits to scores 0-4 monotonically', () => {
    const samples = [
      'a',
      'river',
      'Tr0ub4dor&3',
      'kejotubasilo',
      'xkqzpvbwmrtl',
      'glass tiger mountain river',
    ];
    const results = samples.map((s) => passphraseStrength(s)).sort((x, y) => x.bits - y.bits);
    for (let i = 1; i < results.length; i++) {
      expect(results[i]?.score ?? 0).toBeGreaterThanOrEqual(results[i - 1]?.score ?? 0);
    }
    expect(passphraseStrength('purple elephant dances quietly over').score).toBe(4);
  });

  it('rates long repetitive input as weak (only the first 128 characters are analysed)', () => {
    for (const input of ['x'.repeat(10_000), 'ab'.repeat(5000), 'abc1'.repeat(2500), 'é'.repeat(500)]) {
      expect(passphraseStrength(input).acceptable).toBe(false);
    }
  });
});
