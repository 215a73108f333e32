import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

import { contentSecurityPolicy } from './content-security-policy';

const NONCE_PLACEHOLDER = /__CSP_NONCE__/g;
const API_PATHS = /^\/(api|socket\.io)(\/|$)/;

/**
 * Serves the built Angular app from the api's port: hashed assets with long caching, and for every
 * other GET that is not the api, index.html with a fresh CSP nonce (client-side routes such as
 * /join/... load the app).
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
    const assets = express.static(this.dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        // Angular's output names carry a content hash; index.html is never served from here.
        if (/-[A-Z0-9]{8}\.(js|css)$/.test(file))
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });
    const page = (req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) {
        next();
        return;
      }
      const nonce = randomBytes(16).toString('base64');
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(this.publicOrigin, nonce));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('Cache-Control', 'no-cache');
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
