import { parseArgs } from 'node:util';

import { hexToBytes, NONCE_BYTES, parseAnyPublicKey } from '@mpqcht/identity';

import { UsageError } from './errors';

/** Where to connect and as whom: shared by every command that talks to a server. */
export interface ServerTarget {
  /** The server's origin (scheme, host, port), taken from --server. */
  readonly server: string;
  readonly key: string;
  /** The origin to sign for when it differs from the server URL's own (--origin). */
  readonly origin: string | undefined;
}

export type Command =
  | { readonly name: 'keygen'; readonly out: string }
  | { readonly name: 'pubkey'; readonly key: string }
  | { readonly name: 'sign'; readonly key: string; readonly origin: string; readonly nonce: string }
  | ({ readonly name: 'login' } & ServerTarget)
  | ({ readonly name: 'join'; readonly displayName: string } & ServerTarget)
  | ({ readonly name: 'authorize'; readonly member: string; readonly roles: string[] } & ServerTarget)
  | ({ readonly name: 'send'; readonly channel: string; readonly text: string } & ServerTarget)
  | ({ readonly name: 'listen'; readonly channel: string | undefined } & ServerTarget);

export type CommandName = Command['name'];

export type Invocation =
  { readonly kind: 'help'; readonly text: string } | { readonly kind: 'run'; readonly command: Command };

const PROGRAM = 'npm run cli --';

const CONNECT_OPTIONS = '--server URL --key FILE [--origin ORIGIN]';

const COMMANDS: Record<CommandName, { readonly usage: string; readonly summary: string }> = {
  keygen: {
    usage: 'keygen --out FILE',
    summary: 'make a P-256 key pair, save the private key (JWK, mode 0600), print the public key',
  },
  pubkey: { usage: 'pubkey --key FILE', summary: 'print the public key (66 hex chars) of a saved key' },
  sign: {
    usage: 'sign --key FILE --origin ORIGIN --nonce HEX',
    summary: 'print the handshake auth {publicKey, nonce, signature} for a login challenge',
  },
  login: { usage: `login ${CONNECT_OPTIONS}`, summary: 'log in and print the session (session.get)' },
  join: {
    usage: `join ${CONNECT_OPTIONS} --name NAME`,
    summary: 'become a member with a display name (member.join)',
  },
  authorize: {
    usage: `authorize ${CONNECT_OPTIONS} --member PUBKEY [--roles a,b]`,
    summary: 'admit another key, optionally with roles (members.authorize)',
  },
  send: {
    usage: `send ${CONNECT_OPTIONS} --channel ID TEXT...`,
    summary: 'send a message and print the stored message (messages.send)',
  },
  listen: {
    usage: `listen ${CONNECT_OPTIONS} [--channel ID]`,
    summary: 'print new messages as JSON lines until Ctrl+C',
  },
};

function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

export function commandUsage(name: CommandName): string {
  return `usage: ${PROGRAM} ${COMMANDS[name].usage}`;
}

export function globalUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'The mpqcht admin CLI. Your identity is a P-256 key pair kept in a JWK file.',
    '',
    'commands:',
    ...lines,
    '',
    'options:',
    '  --server URL     the server, e.g. https://chat.example.org',
    '  --key FILE       a private key file made by keygen (login passes are kept in FILE.passes.json)',
    "  --origin ORIGIN  sign for this origin instead of the server URL's own (the server must agree)",
    '  -h, --help       show help; `<command> --help` shows its options',
    '',
    'exit codes: 0 ok, 1 error (protocol errors print "error: <code>: <message>"), 2 usage error',
  ].join('\n');
}

/** `https://chat.example.org/` -> `https://chat.example.org`; anything but a bare http(s) origin is refused. */
export function parseOrigin(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${option} must be a URL like https://chat.example.org, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${option} must be an http:// or https:// URL, got "${value}"`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new UsageError(`${option} must be an origin (scheme, host and port only), got "${value}"`);
  }
  return url.origin;
}

function parseNonce(value: string): string {
  const bytes = hexToBytes(value);
  if (!bytes || bytes.length !== NONCE_BYTES) {
    throw new UsageError(`--nonce must be ${NONCE_BYTES} bytes in hex (${NONCE_BYTES * 2} characters)`);
  }
  return value.toLowerCase();
}

function parseMember(value: string): string {
  const parsed = parseAnyPublicKey(value);
  if (!parsed.ok) {
    throw new UsageError(`--member must be a P-256 public key in hex (${parsed.error}): "${value}"`);
  }
  return parsed.key.hex;
}

function parseRoles(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
}

type OptionValues = Record<string, string | boolean | undefined>;

const OPTION_NAMES: Record<CommandName, readonly string[]> = {
  keygen: ['out'],
  pubkey: ['key'],
  sign: ['key', 'origin', 'nonce'],
  login: ['server', 'key', 'origin'],
  join: ['server', 'key', 'origin', 'name'],
  authorize: ['server', 'key', 'origin', 'member', 'roles'],
  send: ['server', 'key', 'origin', 'channel'],
  listen: ['server', 'key', 'origin', 'channel'],
};

const TAKES_TEXT: ReadonlySet<CommandName> = new Set(['send']);

function required(values: OptionValues, name: string, command: CommandName): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new UsageError(`${command} needs --${name}`, command);
  }
  return value;
}

function optional(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function target(values: OptionValues, command: CommandName): ServerTarget {
  const origin = optional(values, 'origin');
  return {
    server: parseOrigin(required(values, 'server', command), '--server'),
    key: required(values, 'key', command),
    origin: origin === undefined ? undefined : parseOrigin(origin, '--origin'),
  };
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

/** Reads the command line (without `node` and the script). Throws UsageError for anything wrong. */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('no command given');
  if (name === '--help' || name === '-h' || name === 'help') return { kind: 'help', text: globalUsage() };
  if (!isCommandName(name)) {
    if (name.startsWith('-')) throw new UsageError(`expected a command before "${name}"`);
    throw new UsageError(`unknown command "${name}"`);
  }
  if (wantsHelp(rest)) return { kind: 'help', text: commandUsage(name) };

  let values: OptionValues;
  let positionals: string[];
  try {
    const options = Object.fromEntries(OPTION_NAMES[name].map((o) => [o, { type: 'string' as const }]));
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options,
      strict: true,
      allowPositionals: TAKES_TEXT.has(name),
    }));
  } catch (error) {
    // util.parseArgs explains unknown options, missing values and stray arguments well.
    throw new UsageError(error instanceof Error ? error.message : String(error), name);
  }
  try {
    return { kind: 'run', command: buildCommand(name, values, positionals) };
  } catch (error) {
    if (error instanceof UsageError && error.command === undefined) throw new UsageError(error.message, name);
    throw error;
  }
}

function buildCommand(name: CommandName, values: OptionValues, positionals: string[]): Command {
  switch (name) {
    case 'keygen':
      return { name, out: required(values, 'out', name) };
    case 'pubkey':
      return { name, key: required(values, 'key', name) };
    case 'sign':
      return {
        name,
        key: required(values, 'key', name),
        origin: parseOrigin(required(values, 'origin', name), '--origin'),
        nonce: parseNonce(required(values, 'nonce', name)),
      };
    case 'login':
      return { name, ...target(values, name) };
    case 'join':
      return { name, ...target(values, name), displayName: required(values, 'name', name) };
    case 'authorize':
      return {
        name,
        ...target(values, name),
        member: parseMember(required(values, 'member', name)),
        roles: parseRoles(optional(values, 'roles')),
      };
    case 'send': {
      const text = positionals.join(' ');
      if (text.trim().length === 0) throw new UsageError('send needs the message TEXT', name);
      return { name, ...target(values, name), channel: required(values, 'channel', name), text };
    }
    case 'listen':
      return { name, ...target(values, name), channel: optional(values, 'channel') };
  }
}
