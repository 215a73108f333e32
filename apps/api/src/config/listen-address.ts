import * as net from 'node:net';

/** HOST:PORT cannot be listened on; the message names the variable, as an EnvError does. */
export class ListenAddressError extends Error {}

function describe(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return (
        `PORT: ${port} on ${host} is already in use (another mpqcht, or another program, listens ` +
        `there): stop it, or set PORT to a free port`
      );
    case 'EACCES':
      return `PORT: ${port} on ${host} needs privileges this process lacks (ports below 1024): use a higher port`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST: ${host} is not an address of this machine`;
    default:
      return `PORT: cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/**
 * Listens on HOST:PORT for a moment and lets go, so that a port another process holds (a second
 * `npm start`, say) stops start-up at once with a message naming it, before the embedded PostgreSQL
 * is started, a data directory is created or a migration runs. The real listen comes last, after
 * the migrations; a port taken in between still fails there, and the postmaster is stopped on the
 * way out. Port 0 (any free port) is always free.
 */
export async function checkListenAddress(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(new ListenAddressError(describe(error, host, port)));
    });
    // `exclusive`: a cluster worker would otherwise share its primary's handle and always succeed.
    probe.listen({ host, port, exclusive: true }, () => {
      probe.close(() => {
        resolve();
      });
    });
  });
}
