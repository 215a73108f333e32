import { createPublicKey, randomBytes, verify } from 'node:crypto';

import {
  bigIntToBytes,
  buildLoginBytes,
  bytesToBigInt,
  bytesToHex,
  concatBytes,
  hexToBytes,
  type LoginProof,
  P256_ORDER,
  publicKeyToJwk,
  signLoginChallenge,
  uncompressedPublicKey,
} from '@mpqcht/identity';
import type { Envelope, ErrorCode } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi, withClient } from '@mpqcht/test-harness';

import { connect, type ConnectError, connectRefused, fails, ok, type TestSocket } from './support/client';
import { fetchChallenge, loginProof, newIdentity, type TestIdentity } from './support/identity';

/** P-256 field prime and curve constant b (SEC 2, 2.4.2), for making an x that is not on the curve. */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
/** P-256's group order n: (r, s) and (r, n - s) are both valid signatures of the same message. */
const N = P256_ORDER;

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % P;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

/** The smallest x for which y² = x³ - 3x + b has no solution (Euler's criterion: rhs is a non-residue). */
function xWithoutPoint(): bigint {
  for (let x = 1n; ; x++) {
    const rhs = (((x * x * x - 3n * x + B) % P) + P) % P;
    if (modPow(rhs, (P - 1n) / 2n) === P - 1n) return x;
  }
}

function derInteger(bytes: Uint8Array): number[] {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = [...bytes.subarray(start)];
  if ((body[0] ?? 0) & 0x80) body.unshift(0);
  return [0x02, body.length, ...body];
}

/** ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` from a 64-byte IEEE P1363 `r||s` signature. */
function p1363ToDer(signature: Uint8Array): Uint8Array {
  const content = [...derInteger(signature.subarray(0, 32)), ...derInteger(signature.subarray(32))];
  return new Uint8Array([0x30, content.length, ...content]);
}

function bytesOf(hex: string): Uint8Array {
  const bytes = hexToBytes(hex);
  if (!bytes) throw new Error(`not hex: ${hex}`);
  return bytes;
}

function refusalOf(reason: unknown): ConnectError {
  return reason as ConnectError;
}

describe('login', () => {
  let api: ApiProcess;
  let root: TestIdentity;
  let rootSocket: TestSocket;
  const sockets: TestSocket[] = [];
  const otherApis: ApiProcess[] = [];

  beforeAll(async () => {
    root = await newIdentity();
    api = await startApi({ configToml: defaultConfig([root.publicKey.hex]) });
    rootSocket = await connect(api, root);
    sockets.push(rootSocket);
    await ok(rootSocket, 'member.join', { displayName: 'Root' });
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(otherApis.map((a) => a.dispose()));
    await api.dispose();
  });

  async function login(identity: TestIdentity, auth?: LoginProof): Promise<TestSocket> {
    const socket = await connect(api, identity, auth);
    sockets.push(socket);
    return socket;
  }

  /** A proof for a fresh nonce, signed by `signer` over the bytes for `origin`, claiming `claimed`. */
  async function proof(
    signer: TestIdentity,
    options: { origin?: string; claimed?: TestIdentity; nonceHex?: string } = {},
  ): Promise<LoginProof> {
    const nonceHex = options.nonceHex ?? (await fetchChallenge(api.url)).nonce;
    return signLoginChallenge({
      privateKey: signer.privateKey,
      publicKey: (options.claimed ?? signer).publicKey,
      origin: options.origin ?? api.origin,
      nonceHex,
    });
  }

  async function refusedWith(auth: unknown, code: ErrorCode): Promise<ConnectError> {
    const refusal = await connectRefused(api, auth);
    expect(refusal.data?.code).toBe(code);
    return refusal;
  }

  async function authorize(publicKey: string, roles: string[] = []) {
    return ok(rootSocket, 'members.authorize', { publicKey, roles });
  }

  describe('a valid login', () => {
    it('logs a root in again as the member it joined as', async () => {
      const socket = await login(root);
      const before = await ok(socket, 'session.get', {});
      expect(before.publicKey).toBe(root.publicKey.hex);
      expect(before.isRoot).toBe(true);
      expect(before.member).toMatchObject({ publicKey: root.publicKey.hex, displayName: 'Root' });
      expect(before.server.origin).toBe(api.origin);
    });

    it('logs an authorized key in without a member, and returns the member after member.join', async () => {
      const friend = await newIdentity();
      await authorize(friend.publicKey.hex);
      const socket = await login(friend);

      const before = await ok(socket, 'session.get', {});
      expect(before).toMatchObject({ publicKey: friend.publicKey.hex, isRoot: false, member: null });

      const joined = await ok(socket, 'member.join', { displayName: 'Friend' });
      expect(joined).toMatchObject({ publicKey: friend.publicKey.hex, displayName: 'Friend', isRoot: false });

      const after = await ok(socket, 'session.get', {});
      expect(after.member).toEqual(joined);
      expect(after.member?.online).toBe(true);
    });

    it('answers the challenge with a 32-byte nonce and the configured origin, not the Host', async () => {
      const challenge = await fetchChallenge(api.url);
      expect(challenge.nonce).toMatch(/^[0-9a-f]{64}$/);
      expect(challenge.origin).toBe(api.origin);
      expect(challenge.origin).not.toBe(api.url);
    });
  });

  describe('the challenge request', () => {
    async function challenge(body?: string, contentType?: string): Promise<[number, Envelope<unknown>]> {
      const response = await fetch(`${api.url}/api/auth/challenge`, {
        method: 'POST',
        ...(body === undefined ? {} : { body }),
        ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
      });
      return [response.status, (await response.json()) as Envelope<unknown>];
    }

    it('takes no body, an empty one, or {}', async () => {
      for (const [body, type] of [
        [undefined, undefined],
        ['', 'application/json'],
        ['{}', 'application/json'],
        ['', 'application/x-www-form-urlencoded'],
      ] as const) {
        const [status, envelope] = await challenge(body, type);
        expect([status, envelope.ok]).toEqual([200, true]);
      }
    });

    it('refuses a JSON or form body with fields, or one that is not an object, with validation_failed', async () => {
      for (const [body, type, path] of [
        ['{"publicKey":"02"}', 'application/json', ''],
        ['[]', 'application/json', ''],
        ['publicKey=02', 'application/x-www-form-urlencoded', ''],
      ] as const) {
        const [status, envelope] = await challenge(body, type);
        expect(status).toBe(400);
        expect(envelope).toMatchObject({
          ok: false,
          error: { code: 'validation_failed', details: { issues: [expect.objectContaining({ path })] } },
        });
      }
      for (const body of ['{', 'null', '"text"']) {
        const [status, envelope] = await challenge(body, 'application/json');
        expect(status).toBe(400);
        expect(envelope).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      }
    });

    it('does not read a body of another content type', async () => {
      const [status, envelope] = await challenge('{"publicKey":"02"}', 'text/plain');
      expect([status, envelope.ok]).toEqual([200, true]);
    });
  });

  describe('refusals', () => {
    it('refuses a replayed proof with challenge_unknown', async () => {
      const auth = await loginProof(root, api.url, api.origin);
      await login(root, auth);
      await refusedWith(auth, 'challenge_unknown');
    });

    it('refuses an expired nonce with challenge_expired, and it stays used up', async () => {
      const auth = await proof(root);
      const updated = await withClient(api.databaseUrl(), (db) =>
        db.query(
          `UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE nonce = decode($1, 'hex')`,
          [auth.nonce],
        ),
      );
      expect(updated.rowCount).toBe(1);
      await refusedWith(auth, 'challenge_expired');
      await refusedWith(auth, 'challenge_unknown');
    });

    it('refuses a nonce it never issued with challenge_unknown', async () => {
      const auth = await proof(root, { nonceHex: randomBytes(32).toString('hex') });
      await refusedWith(auth, 'challenge_unknown');
    });

    it('refuses a signature over another origin’s bytes with signature_invalid', async () => {
      const refusal = await refusedWith(
        await proof(root, { origin: 'https://evil.example' }),
        'signature_invalid',
      );
      expect(refusal.data?.details?.['origin']).toBe(api.origin);
    });

    it('refuses a signature bound to the address the client used instead of the configured origin', async () => {
      // The api is reached at http://127.0.0.1:port; its public origin is another name.
      await refusedWith(await proof(root, { origin: api.url }), 'signature_invalid');
    });

    it('refuses a signature made by another key with signature_invalid', async () => {
      const other = await newIdentity();
      await authorize(other.publicKey.hex);
      await refusedWith(await proof(other, { claimed: root }), 'signature_invalid');
      await refusedWith(await proof(root, { claimed: other }), 'signature_invalid');
    });

    it('refuses 63-byte, 65-byte and DER signatures with signature_malformed', async () => {
      const short = await proof(root);
      await refusedWith({ ...short, signature: short.signature.slice(0, 126) }, 'signature_malformed');

      const long = await proof(root);
      await refusedWith({ ...long, signature: `${long.signature}00` }, 'signature_malformed');

      const valid = await proof(root);
      const der = p1363ToDer(bytesOf(valid.signature));
      // The DER form is a correct signature, only in the encoding the protocol does not accept.
      const signed = buildLoginBytes({
        origin: api.origin,
        nonce: bytesOf(valid.nonce),
        publicKey: root.publicKey,
      });
      const key = createPublicKey({ key: { ...publicKeyToJwk(root.publicKey) }, format: 'jwk' });
      expect(verify('sha256', signed, { key, dsaEncoding: 'der' }, der)).toBe(true);
      expect(der[0]).toBe(0x30);
      await refusedWith({ ...valid, signature: bytesToHex(der) }, 'signature_malformed');
    });

    it('refuses points that are not on the curve with invalid_public_key, using the nonce up', async () => {
      const signature = randomBytes(64).toString('hex');
      const x = xWithoutPoint().toString(16).padStart(64, '0');
      const badKeys = [`02${'ff'.repeat(32)}`, `02${x}`, `03${x}`, `05${root.publicKey.hex.slice(2)}`];
      for (const publicKey of badKeys) {
        const { nonce } = await fetchChallenge(api.url);
        await refusedWith({ publicKey, nonce, signature }, 'invalid_public_key');
        // The attempt named a real nonce, so it is spent even though the key was bad.
        await refusedWith(await proof(root, { nonceHex: nonce }), 'challenge_unknown');
      }
    });

    it('refuses the uncompressed form of an authorized key with invalid_public_key', async () => {
      const auth = await proof(root);
      const uncompressed = bytesToHex(uncompressedPublicKey(root.publicKey));
      expect(uncompressed).toHaveLength(130);
      await refusedWith({ ...auth, publicKey: uncompressed }, 'invalid_public_key');
    });

    it('refuses missing and garbage auth with auth_malformed', async () => {
      const valid = await proof(root);
      await refusedWith(undefined, 'auth_malformed');
      await refusedWith({}, 'auth_malformed');
      await refusedWith({ publicKey: valid.publicKey, nonce: valid.nonce }, 'auth_malformed');
      await refusedWith({ ...valid, extra: 'field' }, 'auth_malformed');
      await refusedWith({ ...valid, nonce: 42 }, 'auth_malformed');
      await refusedWith({ ...valid, signature: null }, 'auth_malformed');
      await refusedWith({ ...valid, nonce: 'zz'.repeat(32) }, 'auth_malformed');
      await refusedWith({ ...valid, nonce: valid.nonce.slice(0, 62) }, 'auth_malformed');
      await refusedWith({ ...valid, nonce: `${valid.nonce}00` }, 'auth_malformed');
      // None of these reached the nonce: the well-formed proof still logs in.
      await login(root, valid);
    });

    it('refuses a key or signature that is not hex with auth_malformed, before the nonce is used', async () => {
      const valid = await proof(root);
      for (const publicKey of [
        'not a key',
        `${valid.publicKey.slice(0, 64)}zz`,
        valid.publicKey.slice(1),
        '',
      ]) {
        await refusedWith({ ...valid, publicKey }, 'auth_malformed');
      }
      for (const signature of ['zz'.repeat(64), `0x${valid.signature}`, valid.signature.slice(1), '']) {
        await refusedWith({ ...valid, signature }, 'auth_malformed');
      }
      // Hex of the wrong length is read, so it uses the nonce up and gets the field's own code.
      await login(root, valid);
      const short = await proof(root);
      const refusal = await refusedWith(
        { ...short, publicKey: short.publicKey.slice(0, 64) },
        'invalid_public_key',
      );
      expect(refusal.data?.details).toEqual({ reason: 'bad_length' });
      await refusedWith(short, 'challenge_unknown');
    });

    it('reads the nonce, the key and the signature in either case', async () => {
      const valid = await proof(root);
      const upper = {
        publicKey: valid.publicKey.toUpperCase(),
        nonce: valid.nonce.toUpperCase(),
        signature: valid.signature.toUpperCase(),
      };
      // Every field has letters to change: the test would pass vacuously otherwise.
      for (const field of ['publicKey', 'nonce', 'signature'] as const) {
        expect(upper[field]).not.toBe(valid[field]);
      }
      const socket = await login(root, upper);
      expect((await ok(socket, 'session.get', {})).publicKey).toBe(root.publicKey.hex);
      // The nonce was the one issued: its lowercase spelling is used up too.
      await refusedWith(valid, 'challenge_unknown');
    });

    it('accepts high-S signatures (s above n / 2) as well as low-S ones: the nonce is the one-time token', async () => {
      for (const highS of [true, false]) {
        const valid = await proof(root);
        const signature = bytesOf(valid.signature);
        const s = bytesToBigInt(signature.subarray(32));
        // (r, s) and (r, n - s) both verify; exactly one of them has s above n / 2.
        const wanted = s > N / 2n === highS ? s : N - s;
        expect(wanted > N / 2n).toBe(highS);
        const presented = bytesToHex(concatBytes(signature.subarray(0, 32), bigIntToBytes(wanted, 32)));
        const socket = await login(root, { ...valid, signature: presented });
        expect((await ok(socket, 'session.get', {})).publicKey).toBe(root.publicKey.hex);
        // The other form of the same signature is refused: the nonce is spent, whatever the bytes.
        const twin = bytesToHex(concatBytes(signature.subarray(0, 32), bigIntToBytes(N - wanted, 32)));
        await refusedWith({ ...valid, signature: twin }, 'challenge_unknown');
      }
    });

    it('refuses a correctly signed key that is not a member with not_a_member and names the key', async () => {
      const stranger = await newIdentity();
      const auth = await proof(stranger);
      const refusal = await refusedWith(auth, 'not_a_member');
      expect(refusal.data?.details?.['publicKey']).toBe(stranger.publicKey.hex);
      expect(refusal.message.length).toBeGreaterThan(0);
      // The refused attempt used the nonce up, even once the key is authorized.
      await authorize(stranger.publicKey.hex);
      await refusedWith(auth, 'challenge_unknown');
      await login(stranger);
    });
  });

  describe('one key, one spelling', () => {
    it('stores an authorize by the uncompressed form as the compressed key: same member, not two', async () => {
      const member = await newIdentity();
      const uncompressed = bytesToHex(uncompressedPublicKey(member.publicKey));
      const authorized = await authorize(uncompressed);
      expect(authorized.publicKey).toBe(member.publicKey.hex);

      const socket = await login(member);
      expect((await ok(socket, 'session.get', {})).publicKey).toBe(member.publicKey.hex);
      await ok(socket, 'member.join', { displayName: 'Twofaced' });

      // Re-authorizing by either spelling (uncompressed, upper-case) updates the one member.
      expect((await authorize(uncompressed.toUpperCase(), ['helper'])).publicKey).toBe(member.publicKey.hex);
      expect((await authorize(member.publicKey.hex.toUpperCase(), ['helper', 'plain'])).publicKey).toBe(
        member.publicKey.hex,
      );

      // An upper-case compressed key on the wire logs in as the same canonical member.
      const upper = await proof(member);
      const again = await login(member, { ...upper, publicKey: upper.publicKey.toUpperCase() });
      const session = await ok(again, 'session.get', {});
      expect(session.publicKey).toBe(member.publicKey.hex);
      expect(session.member).toMatchObject({ displayName: 'Twofaced', roles: ['helper', 'plain'] });
      // A second join is refused: this key already is a member.
      expect(await fails(again, 'member.join', { displayName: 'Twofaced Again' })).toBe('already_joined');

      const listed = (await ok(rootSocket, 'members.list', {})).filter(
        (m) => m.publicKey.toLowerCase() === member.publicKey.hex || m.displayName === 'Twofaced',
      );
      expect(listed).toHaveLength(1);
      const rows = await withClient(api.databaseUrl(), (db) =>
        db.query<{ public_key: string }>(
          `SELECT public_key FROM members WHERE lower(public_key) IN ($1, $2) OR substr(lower(public_key), 3) = $3`,
          [member.publicKey.hex, uncompressed, member.publicKey.hex.slice(2)],
        ),
      );
      expect(rows.rows).toEqual([{ public_key: member.publicKey.hex }]);
    });
  });

  describe('nonce consumption', () => {
    it('lets exactly one of two concurrent uses of a nonce connect; the other gets challenge_unknown', async () => {
      const auth = await loginProof(root, api.url, api.origin);
      const results = await Promise.allSettled([connect(api, root, auth), connect(api, root, auth)]);
      const connected = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [refusalOf(r.reason)] : []));
      sockets.push(...connected);
      expect(connected).toHaveLength(1);
      expect(refused.map((r) => r.data?.code)).toEqual(['challenge_unknown']);
    });

    it('uses the nonce up on a refused attempt: a bad signature, then the right one, is challenge_unknown', async () => {
      const other = await newIdentity();
      const good = await proof(root);
      const bad = await proof(other, { claimed: root, nonceHex: good.nonce });
      await refusedWith(bad, 'signature_invalid');
      await refusedWith(good, 'challenge_unknown');
    });

    it('refuses a nonce issued by another server with challenge_unknown', async () => {
      const other = await startApi({ configToml: defaultConfig([root.publicKey.hex]) });
      otherApis.push(other);
      expect(other.origin).toBe(api.origin);
      const fromOther = await loginProof(root, other.url, other.origin);
      await refusedWith(fromOther, 'challenge_unknown');
      // The proof was good, only for the other server: there it still works.
      const socket = await connect(other, root, fromOther);
      sockets.push(socket);
      expect((await ok(socket, 'session.get', {})).publicKey).toBe(root.publicKey.hex);
    });
  });
});
