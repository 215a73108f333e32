import {
  forgetKeyLoginPasses,
  forgetServerLoginPasses,
  loadLoginPass,
  saveLoginPass,
} from './login-pass.storage';

const A = 'https://a.example';
const B = 'https://b.example';
const KEY_1 = '02' + '1'.repeat(64);
const KEY_2 = '03' + '2'.repeat(64);
const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const IN_A_MONTH = '2026-01-31T00:00:00.000Z';

function pass(tag: string, expiresAt = IN_A_MONTH) {
  return { pass: tag.repeat(108 / tag.length), expiresAt };
}

describe('login pass storage', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the newest pass per server and key, and gives it back only for that pair', () => {
    saveLoginPass(localStorage, A, KEY_1, pass('a1'), NOW);
    saveLoginPass(localStorage, A, KEY_1, pass('a2'), NOW);
    saveLoginPass(localStorage, B, KEY_1, pass('b1'), NOW);

    expect(loadLoginPass(localStorage, A, KEY_1, NOW)).toBe(pass('a2').pass);
    expect(loadLoginPass(localStorage, B, KEY_1, NOW)).toBe(pass('b1').pass);
    // A pass is bound to its key: another identity on this browser never gets it.
    expect(loadLoginPass(localStorage, A, KEY_2, NOW)).toBeNull();
  });

  it('gives no expired pass, and drops expired ones from storage when saving', () => {
    saveLoginPass(localStorage, A, KEY_1, pass('a1', '2026-01-01T00:00:10.000Z'), NOW);
    expect(loadLoginPass(localStorage, A, KEY_1, NOW)).toBe(pass('a1').pass);
    const later = NOW + 10_000;
    expect(loadLoginPass(localStorage, A, KEY_1, later)).toBeNull();

    saveLoginPass(localStorage, B, KEY_1, pass('b1'), later);
    expect(localStorage.getItem('mpqcht.login-passes.v1')).not.toContain(pass('a1').pass);
  });

  it('does not keep a pass that has already expired', () => {
    saveLoginPass(localStorage, A, KEY_1, pass('a1', '2025-12-31T00:00:00.000Z'), NOW);
    expect(localStorage.getItem('mpqcht.login-passes.v1')).toBeNull();
  });

  it('forgets one key everywhere (log out), or one server for every key (server removed)', () => {
    saveLoginPass(localStorage, A, KEY_1, pass('a1'), NOW);
    saveLoginPass(localStorage, A, KEY_2, pass('a2'), NOW);
    saveLoginPass(localStorage, B, KEY_1, pass('b1'), NOW);

    forgetKeyLoginPasses(localStorage, KEY_1, NOW);
    expect(loadLoginPass(localStorage, A, KEY_1, NOW)).toBeNull();
    expect(loadLoginPass(localStorage, B, KEY_1, NOW)).toBeNull();
    expect(loadLoginPass(localStorage, A, KEY_2, NOW)).toBe(pass('a2').pass);

    forgetServerLoginPasses(localStorage, A, NOW);
    expect(loadLoginPass(localStorage, A, KEY_2, NOW)).toBeNull();
    expect(localStorage.getItem('mpqcht.login-passes.v1')).toBeNull();
  });

  it('reads what does not parse as no passes', () => {
    localStorage.setItem('mpqcht.login-passes.v1', '{not json');
    expect(loadLoginPass(localStorage, A, KEY_1, NOW)).toBeNull();
    localStorage.setItem('mpqcht.login-passes.v1', JSON.stringify({ [A]: { [KEY_1]: { pass: 3 } } }));
    expect(loadLoginPass(localStorage, A, KEY_1, NOW)).toBeNull();
    saveLoginPass(localStorage, A, KEY_1, pass('a1'), NOW);
    expect(loadLoginPass(localStorage, A, KEY_1, NOW)).toBe(pass('a1').pass);
  });
});
