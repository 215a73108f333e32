import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { Envelope } from '@mpqcht/protocol';

import { contentSecurityPolicy } from './content-security-policy';
import { REVALIDATE, staticAssets } from './static-assets';

const NONCE_PLACEHOLDER = /__CSP_NONCE__/g;
const API_PATHS = /^\/(api|socket\.io)(\/|$)/;
/**
 * A request for a file the build does not have (a chunk of an older build, a typo) gets a 404, not
 * index.html: a page still running an older build then fails its dynamic import cleanly instead of
 * parsing HTML as JavaScript. Client routes never end in one of these extensions.
 */
const FILE_PATH = /\.(?:m?js|css|map|json|txt|ico|png|jpe?g|gif|svg|webp|woff2?|ttf|webmanifest)$/i;

/**
 * Serves the built Angular app from the api's port: its files precompressed and hashed ones cached
 * for good (static-assets.ts), and for every other GET that is not the api, index.html with a fresh
 * CSP nonce (client-side routes such as /join/... load the app).
 */
export class WebClient {
  private cached = { mtimeMs: -1, html: '' };

  private constructor(
    private readonly dir: string,
    private readonly publicOrigin: string,
  ) {}

  /** null when the web app has not been built (the api still serves the protocol). */
  static load(dir: string, publicOrigin: string): WebClient | null {
    if (!fs.existsSync(path.join(dir, 'index.html'))) return null;
    return new WebClient(dir, publicOrigin);
  }

  /** index.html, read again when a new build replaced it (its asset names change with each build). */
  private indexHtml(): string {
    const file = path.join(this.dir, 'index.html');
    const { mtimeMs } = fs.statSync(file);
    if (mtimeMs !== this.cached.mtimeMs) this.cached = { mtimeMs, html: fs.readFileSync(file, 'utf8') };
    return this.cached.html;
  }

  handlers(): RequestHandler[] {
    // index.html is a template (its nonce placeholder): only `page` sends it, filled in.
    const assets = staticAssets(this.dir, ['index.html']);
    const page = (req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) {
        next();
        return;
      }
      if (FILE_PATH.test(req.path)) {
        const envelope: Envelope<never> = {
          ok: false,
          error: { code: 'not_found', message: 'no such file' },
        };
        res.status(404).json(envelope);
        return;
      }
      const nonce = randomBytes(16).toString('base64');
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(this.publicOrigin, nonce));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      // Never used from a cache without asking: it names the current build's files, and its nonce
      // changes with every response. It is under 1 KB, so it goes uncompressed (the build's
      // variants cannot hold a per-response nonce).
      res.setHeader('Cache-Control', REVALIDATE);
      res.type('html').send(this.indexHtml().replace(NONCE_PLACEHOLDER, nonce));
    };
    const guardApi = (req: Request, res: Response, next: NextFunction) => {
      // Static files never shadow the api.
      if (API_PATHS.test(req.path)) next();
      else assets(req, res, next);
    };
    return [guardApi, page];
  }
}
