import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** A content coding the build writes beside a file (apps/web/scripts/precompress.mjs). */
export type ContentCoding = 'br' | 'gzip';

/** The file suffix of each precompressed variant. */
const SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' };

/** Preference on equal quality values: brotli is the smaller of the two. */
const PREFERENCE: readonly (ContentCoding | 'identity')[] = ['br', 'gzip', 'identity'];

/**
 * Angular's output names carry a hash of their content (`main-BEELHIPL.js`, `media/font-3YT3SLGF.woff2`),
 * so a name never changes meaning and a browser may keep the file for good.
 */
const HASHED_NAME = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Stored, but asked again each time (a conditional request, answered 304 while unchanged). */
export const REVALIDATE = 'no-cache';

/**
 * The quality value of each coding the request's `Accept-Encoding` names (RFC 9110, 12.5.3):
 * lower-cased, `x-gzip` as `gzip`, a malformed `q` as 0 (refused rather than guessed).
 */
function qualities(header: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/.exec(param);
      if (!match) continue;
      const value = match[1] ?? '';
      q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
    }
    const coding = name === 'x-gzip' ? 'gzip' : name;
    // A coding named twice keeps its best quality.
    result.set(coding, Math.max(q, result.get(coding) ?? 0));
  }
  return result;
}

/**
 * Which of the `available` variants to send for this `Accept-Encoding`, or null for the file as it
 * is. The highest quality wins, brotli before gzip before identity on a tie; `q=0` refuses a coding.
 * No header means identity only: RFC 9110 would allow any coding, but a client that says nothing
 * (curl, a script) expects the bytes of the file.
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  available: readonly ContentCoding[],
): ContentCoding | null {
  if (!acceptEncoding || available.length === 0) return null;
  const accepted = qualities(acceptEncoding);
  const wildcard = accepted.get('*');
  const quality = (coding: ContentCoding | 'identity'): number => {
    const named = accepted.get(coding);
    if (named !== undefined) return named;
    if (wildcard !== undefined) return wildcard;
    // Identity is acceptable unless refused by name or by `*;q=0`, but as the last choice: a
    // client that lists codings without weighing identity wants them.
    return coding === 'identity' ? Number.MIN_VALUE : 0;
  };
  let best: ContentCoding | 'identity' = 'identity';
  let bestQ = -1;
  for (const coding of PREFERENCE) {
    if (coding !== 'identity' && !available.includes(coding)) continue;
    const q = quality(coding);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  // Nothing acceptable at all (`identity;q=0` and no variant): the file as it is, rather than a 406
  // that leaves the page without its script.
  return bestQ <= 0 || best === 'identity' ? null : best;
}

/** `Cache-Control` for a file of the build, by its name. */
export function cacheControlFor(file: string): string {
  return HASHED_NAME.test(path.basename(file)) ? IMMUTABLE : REVALIDATE;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The file under `root` a URL path names, or null: a path that does not decode, climbs out, names a
 * dot file or a precompressed variant itself (those are only sent as an encoding of their file).
 */
function fileFor(root: string, urlPath: string, except: ReadonlySet<string>): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split('/').filter(Boolean);
  if (segments.length === 0) return null;
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  if (except.has(segments.join('/'))) return null;
  const file = path.join(root, ...segments);
  if (!file.startsWith(root + path.sep)) return null;
  if (Object.values(SUFFIX).some((suffix) => file.endsWith(suffix))) return null;
  return isFile(file) ? file : null;
}

/**
 * Serves the built web client's files: the precompressed variant the browser accepts best
 * (`Content-Encoding`, `Vary: Accept-Encoding`, the file's own `Content-Type`), hashed names cached
 * for a year, everything else revalidated. What is not a file, and the files in `except` (paths
 * relative to `dir`), go to `next`.
 */
export function staticAssets(dir: string, except: readonly string[] = []): RequestHandler {
  const root = path.resolve(dir);
  const excluded = new Set(except);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const file = fileFor(root, req.path, excluded);
    if (!file) {
      next();
      return;
    }
    const available = (Object.keys(SUFFIX) as ContentCoding[]).filter((c) => isFile(file + SUFFIX[c]));
    const coding = negotiateEncoding(req.get('accept-encoding'), available);
    // Caches keep one copy per encoding only when told the answer depends on it.
    if (available.length > 0) res.vary('Accept-Encoding');
    // The file's type, not the variant's (`.br` would be guessed as an archive).
    res.type(path.extname(file));
    res.setHeader('Cache-Control', cacheControlFor(file));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (coding) res.setHeader('Content-Encoding', coding);
    // `send` sets Content-Length, Last-Modified and an ETag from the file actually sent, so every
    // variant has its own validator, and answers Range and conditional requests.
    res.sendFile(
      coding ? file + SUFFIX[coding] : file,
      { cacheControl: false, dotfiles: 'allow' },
      (error) => {
        if (error && !res.headersSent) next(error);
      },
    );
  };
}
