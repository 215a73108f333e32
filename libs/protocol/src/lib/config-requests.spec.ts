import { CONFIG_TEXT_MAX_LENGTH, ReplaceConfigRequest } from './requests';

describe('config.replace payload', () => {
  const hash = 'a'.repeat(64);

  it('accepts a text and a lowercase sha-256 hex', () => {
    expect(
      ReplaceConfigRequest.safeParse({ text: '[server]\nname = "x"\n', expectedHash: hash }).success,
    ).toBe(true);
  });

  it('refuses unknown fields, a missing or malformed hash and an over-long text', () => {
    expect(ReplaceConfigRequest.safeParse({ text: '', expectedHash: hash, force: true }).success).toBe(false);
    expect(ReplaceConfigRequest.safeParse({ text: '' }).success).toBe(false);
    expect(ReplaceConfigRequest.safeParse({ text: '', expectedHash: 'A'.repeat(64) }).success).toBe(false);
    expect(ReplaceConfigRequest.safeParse({ text: '', expectedHash: hash.slice(1) }).success).toBe(false);
    expect(
      ReplaceConfigRequest.safeParse({ text: 'x'.repeat(CONFIG_TEXT_MAX_LENGTH), expectedHash: hash })
        .success,
    ).toBe(true);
    expect(
      ReplaceConfigRequest.safeParse({ text: 'x'.repeat(CONFIG_TEXT_MAX_LENGTH + 1), expectedHash: hash })
        .success,
    ).toBe(false);
  });
});
