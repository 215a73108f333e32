import { bytesToHex, hexToBytes } from './hex';
import { buildLoginBytes } from './login-bytes';
import { decodeSec1Point, encodeCompressed } from './p256';
import { parseWirePublicKey, type PublicKey } from './public-key';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}

/** Reads a WebCrypto public key into the canonical compressed form. */
export async function publicKeyFromCryptoKey(key: CryptoKey): Promise<PublicKey> {
  const raw = new Uint8Array(await subtle().exportKey('raw', key));
  const point = decodeSec1Point(raw);
  if (!point) throw new Error('WebCrypto exported an invalid P-256 point');
  const parsed = parseWirePublicKey(bytesToHex(encodeCompressed(point)));
  if (!parsed.ok) throw new Error('WebCrypto exported an invalid P-256 point');
  return parsed.key;
}

export async function generateSigningKeyPair(extractable = false): Promise<CryptoKeyPair> {
  return subtle().generateKey(ECDSA_P256, extractable, ['sign', 'verify']);
}

/** ECDSA P-256 / SHA-256 signature in the 64-byte `r||s` form WebCrypto produces. */
export async function signBytes(privateKey: CryptoKey, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign(ECDSA_SHA256, privateKey, bytes as BufferSource));
}

export interface LoginProof {
  readonly publicKey: string;
  readonly nonce: string;
  readonly signature: string;
}

/** Signs a login challenge: what the Socket.IO handshake `auth` carries. */
export async function signLoginChallenge(params: {
  privateKey: CryptoKey;
  publicKey: PublicKey;
  origin: string;
  nonceHex: string;
}): Promise<LoginProof> {
  const nonce = hexToBytes(params.nonceHex);
  if (!nonce) throw new Error('nonce is not hex');
  const bytes = buildLoginBytes({ origin: params.origin, nonce, publicKey: params.publicKey });
  const signature = await signBytes(params.privateKey, bytes);
  return { publicKey: params.publicKey.hex, nonce: params.nonceHex, signature: bytesToHex(signature) };
}
