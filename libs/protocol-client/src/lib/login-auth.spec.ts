import {
  buildLoginBytes,
  generateSigningKeyPair,
  hexToBytes,
  type PublicKey,
  publicKeyFromCryptoKey,
} from '@mpqcht/identity';
import type { ChallengeDto } from '@mpqcht/protocol';

import { freshLoginAuth } from './fresh-login';
import { buildLoginAuth, type LoginAuth, type LoginSigner, OriginMismatch } from './login-auth';

const ORIGIN = 'https://chat.example.org';

async function newSigner(): Promise<LoginSigner & { verifyKey: CryptoKey }> {
  const pair = await generateSigningKeyPair(false);
  return {
    privateKey: pair.privateKey,
    publicKey: await publicKeyFromCryptoKey(pair.publicKey),
    verifyKey: pair.publicKey,
  };
}

function challenge(origin = ORIGIN): ChallengeDto {
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return { nonce, expiresAt: '2030-01-01T00:00:00.000Z', origin };
}

async function verifies(
  key: CryptoKey,
  publicKey: PublicKey,
  origin: string,
  auth: LoginAuth,
): Promise<boolean> {
  const nonce = hexToBytes(auth.nonce);
  const signature = hexToBytes(auth.signature);
  if (!nonce || !signature) return false;
  const bytes = buildLoginBytes({ origin, nonce, publicKey });
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    signature as BufferSource,
    bytes as BufferSource,
  );
}

describe('buildLoginAuth', () => {
  it('signs the login bytes for the origin and nonce: exactly publicKey, nonce, signature', async () => {
    const signer = await newSigner();
    const c = challenge();
    const auth = await buildLoginAuth({ signer, origin: ORIGIN, challenge: c });
    expect(Object.keys(auth).sort()).toEqual(['nonce', 'publicKey', 'signature']);
    expect(auth).toMatchObject({ publicKey: signer.publicKey.hex, nonce: c.nonce });
    expect(auth.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(await verifies(signer.verifyKey, signer.publicKey, ORIGIN, auth)).toBe(true);
    expect(await verifies(signer.verifyKey, signer.publicKey, 'https://elsewhere.example.net', auth)).toBe(
      false,
    );
  });

  it('adds an invite when there is one', async () => {
    const signer = await newSigner();
    const auth = await buildLoginAuth({ signer, origin: ORIGIN, challenge: challenge(), invite: 'code-1' });
    expect(auth.invite).toBe('code-1');
    const without = await buildLoginAuth({ signer, origin: ORIGIN, challenge: challenge(), invite: null });
    expect('invite' in without).toBe(false);
  });

  it('refuses to sign a challenge that names another origin', async () => {
    const signer = await newSigner();
    const signing = buildLoginAuth({
      signer,
      origin: ORIGIN,
      challenge: challenge('https://elsewhere.example.net'),
    });
    await expect(signing).rejects.toBeInstanceOf(OriginMismatch);
    await expect(signing).rejects.toMatchObject({
      expected: ORIGIN,
      claimed: 'https://elsewhere.example.net',
    });
  });
});

describe('freshLoginAuth', () => {
  it('fetches a challenge from baseUrl and signs it for the origin given', async () => {
    const signer = await newSigner();
    const c = challenge('https://public.example.org');
    const urls: string[] = [];
    const auth = await freshLoginAuth({
      baseUrl: 'http://127.0.0.1:3000',
      origin: 'https://public.example.org',
      signer,
      fetchImpl: (url) => {
        urls.push(url);
        return Promise.resolve(new Response(JSON.stringify({ ok: true, data: c })));
      },
    });
    expect(urls).toEqual(['http://127.0.0.1:3000/api/auth/challenge']);
    expect(auth.nonce).toBe(c.nonce);
    expect(await verifies(signer.verifyKey, signer.publicKey, 'https://public.example.org', auth)).toBe(true);
  });
});
