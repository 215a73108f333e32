import * as net from 'node:net';

import { checkListenAddress, ListenAddressError } from './listen-address';

function listen(port: number, host = '127.0.0.1'): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve(server);
    });
  });
}

function portOf(server: net.Server): number {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  return address.port;
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function refusal(host: string, port: number): Promise<ListenAddressError> {
  try {
    await checkListenAddress(host, port);
  } catch (error) {
    if (error instanceof ListenAddressError) return error;
    throw error;
  }
  throw new Error(`${host}:${port} was accepted`);
}

describe('checkListenAddress', () => {
  it('refuses a port another process listens on, naming PORT, the port and what to do', async () => {
    const taken = await listen(0);
    try {
      const port = portOf(taken);
      const error = await refusal('127.0.0.1', port);
      expect(error.message).toBe(
        `PORT: ${port} on 127.0.0.1 is already in use (another mpqcht, or another program, listens ` +
          'there): stop it, or set PORT to a free port',
      );
    } finally {
      await close(taken);
    }
  });

  it('refuses a port held on every interface when HOST is loopback', async () => {
    const taken = await listen(0, '0.0.0.0');
    try {
      expect((await refusal('127.0.0.1', portOf(taken))).message).toMatch(
        /^PORT: \d+ on 127\.0\.0\.1 is already in use/,
      );
    } finally {
      await close(taken);
    }
  });

  it('accepts a free port and lets go of it, so the api can listen there next', async () => {
    const probe = await listen(0);
    const port = portOf(probe);
    await close(probe);

    await expect(checkListenAddress('127.0.0.1', port)).resolves.toBeUndefined();
    const api = await listen(port);
    expect(portOf(api)).toBe(port);
    await close(api);
  });

  it('accepts port 0 (any free port) without listening', async () => {
    await expect(checkListenAddress('127.0.0.1', 0)).resolves.toBeUndefined();
  });

  it('names HOST when it is not an address of this machine', async () => {
    // TEST-NET-1 (RFC 5737): never assigned to an interface.
    expect((await refusal('192.0.2.1', 3000)).message).toBe(
      'HOST: 192.0.2.1 is not an address of this machine',
    );
  });
});
