import type { ServerInfoDto } from '@mpqcht/protocol';

import { describeFailure } from '../connection/request-failed';
import { serverOrigin } from '../connection/server-address';

/**
 * What asking a server for its info (`GET /api/server`) before adding it found. A server is added
 * by the address it names as its own (its `PUBLIC_ORIGIN`): every login is signed for that address,
 * and the client refuses to sign for any other (docs/web-client.md, Servers).
 */
export type AddServerCheck =
  | { readonly kind: 'invalid' }
  /** The server answered at `origin` and names it as its own. */
  | { readonly kind: 'ok'; readonly origin: string }
  /** The server answered at `tried` but names another address, `claimed`. */
  | { readonly kind: 'other_origin'; readonly tried: string; readonly claimed: string }
  /**
   * Nothing answered at the https:// address `tried` (`guessed`: the person typed no scheme), but a
   * server answered over plain http; `claimed` is the address it names.
   */
  | {
      readonly kind: 'no_https';
      readonly tried: string;
      readonly guessed: boolean;
      readonly claimed: string;
    }
  /**
   * Nothing answered as an mpqcht server at `tried` (nor over http, when it was an https address
   * and the page may ask one). `pageIsHttps`: the browser does not let this page reach any plain
   * http address.
   */
  | {
      readonly kind: 'unreachable';
      readonly tried: string;
      readonly reason: string;
      readonly guessed: boolean;
      readonly pageIsHttps: boolean;
    };

export interface AddServerProbe {
  /** `GET <url>/api/server`; rejects when the server cannot be reached or does not answer as one. */
  serverInfo(url: string): Promise<ServerInfoDto>;
  /** The page's own protocol (`location.protocol`): an https page cannot reach an http server. */
  readonly pageProtocol: string;
  /** How long to wait for an answer; 10 s when absent. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number, url: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${url} did not answer within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Asks the server the person typed for its info, and when that fails over https (the scheme
 * assumed when none is typed), whether it answers over plain http, so that the add-server box can
 * say what to type instead of adding an address that will never log in.
 */
export async function checkServerAddress(input: string, probe: AddServerProbe): Promise<AddServerCheck> {
  const tried = serverOrigin(input);
  if (!tried) return { kind: 'invalid' };
  const guessed = !/^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim());
  const timeoutMs = probe.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ask = (url: string) => withTimeout(probe.serverInfo(url), timeoutMs, url);
  const pageIsHttps = probe.pageProtocol === 'https:';
  try {
    const info = await ask(tried);
    return info.origin === tried
      ? { kind: 'ok', origin: tried }
      : { kind: 'other_origin', tried, claimed: info.origin };
  } catch (error) {
    const reason = describeFailure(error);
    // Only a page served over http may ask an http address (mixed content, and its CSP).
    if (tried.startsWith('https:') && !pageIsHttps) {
      const plain = `http:${tried.slice('https:'.length)}`;
      try {
        const info = await ask(plain);
        return { kind: 'no_https', tried, guessed, claimed: info.origin };
      } catch {
        // Not there either: report the address as typed.
      }
    }
    return { kind: 'unreachable', tried, reason, guessed, pageIsHttps };
  }
}

/** What the add-server box says, and what it offers to add instead. */
export interface AddServerHint {
  readonly message: string;
  /** The address to add instead, offered as a button. */
  readonly suggestion?: string;
  /** The address as typed may still be added (the server may only be down for now). */
  readonly addAnyway?: string;
}

/** `localhost` (and `*.localhost`), `127.0.0.0/8` and `[::1]`: this computer, under several names. */
function isLoopback(origin: string): boolean {
  const host = new URL(origin).hostname;
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]'
  );
}

function sentence(text: string): string {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** The explanation for a check that did not find the server at the address typed; null when it did. */
export function addServerHint(check: AddServerCheck): AddServerHint | null {
  switch (check.kind) {
    case 'ok':
      return null;
    case 'invalid':
      return { message: 'Enter a server address such as chat.example.org or http://localhost:3000.' };
    case 'other_origin': {
      const { tried, claimed } = check;
      const message =
        isLoopback(tried) && isLoopback(claimed) && new URL(tried).port === new URL(claimed).port
          ? `${tried} and ${claimed} are this computer, but not the same address to a browser: this ` +
            `server accepts logins only for ${claimed}, its PUBLIC_ORIGIN. Add it as ${claimed}.`
          : `This server's address is ${claimed} (its PUBLIC_ORIGIN), not ${tried}: logins are signed ` +
            `for that address, so it refuses any other. Add it as ${claimed}.`;
      return { message, suggestion: claimed };
    }
    case 'no_https': {
      const refused = check.guessed
        ? `An address typed without http:// is tried as https://, and ${check.tried} did not answer.`
        : `${check.tried} did not answer over https.`;
      return {
        message: `${refused} The server answers over plain http (no TLS): add it as ${check.claimed}.`,
        suggestion: check.claimed,
      };
    }
    case 'unreachable': {
      const { tried } = check;
      if (check.pageIsHttps && tried.startsWith('http:')) {
        return {
          message:
            `This page is served over https, and the browser does not let it reach a plain http ` +
            `server such as ${tried}. Add it from a page served over http (its own, for one).`,
        };
      }
      if (check.pageIsHttps && check.guessed && isLoopback(tried)) {
        const plain = `http:${tried.slice('https:'.length)}`;
        return {
          message:
            `${sentence(check.reason)} A server on this computer usually has no TLS: it is then ` +
            `${plain}, which this page, served over https, cannot reach. Open ${plain} and add it there.`,
        };
      }
      return {
        message: `${sentence(check.reason)} Check the address and that the server is running, or add it anyway to keep trying.`,
        addAnyway: tried,
      };
    }
  }
}
