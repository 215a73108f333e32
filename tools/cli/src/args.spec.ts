import { type Command, parseCommandLine, parseOrigin } from './args';
import { UsageError } from './errors';

const G = '036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';
const G_UNCOMPRESSED =
  '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
const SERVER = ['--server', 'https://chat.example.org', '--key', 'me.key'];

function command(argv: string[]): Command {
  const invocation = parseCommandLine(argv);
  if (invocation.kind !== 'run') throw new Error(`expected a command, got help`);
  return invocation.command;
}

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('reads keygen and pubkey', () => {
    expect(command(['keygen', '--out', 'root.key'])).toEqual({ name: 'keygen', out: 'root.key' });
    expect(command(['pubkey', '--key=root.key'])).toEqual({ name: 'pubkey', key: 'root.key' });
  });

  it('reads sign, normalising the origin and lower-casing the nonce', () => {
    expect(
      command(['sign', '--key', 'k', '--origin', 'https://Chat.Example.org/', '--nonce', 'AB'.repeat(32)]),
    ).toEqual({ name: 'sign', key: 'k', origin: 'https://chat.example.org', nonce: 'ab'.repeat(32) });
  });

  it('reads login with the server reduced to its origin and no --origin override', () => {
    expect(command(['login', '--server', 'http://127.0.0.1:3999/', '--key', 'k'])).toEqual({
      name: 'login',
      server: 'http://127.0.0.1:3999',
      key: 'k',
      origin: undefined,
    });
  });

  it('reads an --origin override', () => {
    expect(command(['login', ...SERVER, '--origin', 'https://other.example:8443'])).toMatchObject({
      origin: 'https://other.example:8443',
    });
  });

  it('reads join with its display name', () => {
    expect(command(['join', ...SERVER, '--name', 'Ada Lovelace'])).toMatchObject({
      name: 'join',
      displayName: 'Ada Lovelace',
    });
  });

  it('reads authorize: canonical member key, roles split and trimmed', () => {
    expect(
      command(['authorize', ...SERVER, '--member', G_UNCOMPRESSED, '--roles', 'moderator, dj,']),
    ).toEqual({
      name: 'authorize',
      server: 'https://chat.example.org',
      key: 'me.key',
      origin: undefined,
      member: G,
      roles: ['moderator', 'dj'],
    });
    expect(command(['authorize', ...SERVER, '--member', G])).toMatchObject({ roles: [] });
  });

  it('reads send, joining the words of the text', () => {
    expect(command(['send', ...SERVER, '--channel', 'chat', 'hello', 'world'])).toMatchObject({
      name: 'send',
      channel: 'chat',
      text: 'hello world',
    });
  });

  it('takes text after -- literally, even when it looks like an option', () => {
    expect(command(['send', ...SERVER, '--channel', 'chat', '--', '--help me'])).toMatchObject({
      text: '--help me',
    });
  });

  it('reads listen with and without a channel', () => {
    expect(command(['listen', ...SERVER])).toMatchObject({ name: 'listen', channel: undefined });
    expect(command(['listen', ...SERVER, '--channel', 'chat'])).toMatchObject({ channel: 'chat' });
  });

  it('answers --help and -h with help, globally and per command', () => {
    const global = parseCommandLine(['--help']);
    expect(global.kind).toBe('help');
    expect(global.kind === 'help' && global.text).toContain('authorize');
    const send = parseCommandLine(['send', '-h']);
    expect(send).toEqual({ kind: 'help', text: expect.stringContaining('send --server URL') as string });
  });

  it.each([
    [[], 'no command given'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--server', 'x'], 'expected a command before "--server"'],
    [['keygen'], 'keygen needs --out'],
    [['login', '--key', 'k'], 'login needs --server'],
    [['login', '--server', 'https://a.example'], 'login needs --key'],
    [['join', ...SERVER], 'join needs --name'],
    [['send', ...SERVER, 'hi'], 'send needs --channel'],
    [['send', ...SERVER, '--channel', 'chat'], 'send needs the message TEXT'],
    [['send', ...SERVER, '--channel', 'chat', '  '], 'send needs the message TEXT'],
    [['authorize', ...SERVER, '--member', '02ff'], '--member must be a P-256 public key'],
    [['sign', '--key', 'k', '--origin', 'https://a.example', '--nonce', 'ab'], '--nonce must be 32 bytes'],
    [['sign', '--key', 'k', '--origin', 'https://a.example', '--nonce', 'zz'.repeat(32)], '--nonce must be'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(argv).message).toContain(message);
  });

  it('refuses unknown options and stray arguments, naming the command', () => {
    const unknown = usageError(['login', ...SERVER, '--verbose']);
    expect(unknown.message).toContain('--verbose');
    expect(unknown.command).toBe('login');
    const stray = usageError(['login', ...SERVER, 'extra']);
    expect(stray.message).toContain('extra');
    expect(stray.command).toBe('login');
  });

  it('refuses an option without its value', () => {
    expect(usageError(['keygen', '--out']).command).toBe('keygen');
  });

  it('names the command when a value is refused', () => {
    expect(usageError(['login', '--server', 'ftp://a.example', '--key', 'k']).command).toBe('login');
  });
});

describe('parseOrigin', () => {
  it.each([
    ['https://chat.example.org', 'https://chat.example.org'],
    ['https://chat.example.org/', 'https://chat.example.org'],
    ['HTTP://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https://chat.example.org:443', 'https://chat.example.org'],
  ])('reads %s as %s', (value, origin) => {
    expect(parseOrigin(value, '--server')).toBe(origin);
  });

  it.each([
    'chat.example.org',
    'ftp://chat.example.org',
    'https://chat.example.org/app',
    'https://chat.example.org/?x=1',
    'https://chat.example.org/#x',
    'https://user:pw@chat.example.org',
    'javascript:alert(1)',
  ])('refuses %s', (value) => {
    expect(() => parseOrigin(value, '--server')).toThrow(UsageError);
  });
});
