/**
 * Who is online: the live sockets of each joined member, counted across every api process (so a
 * member with sockets on two processes goes offline when the last of them closes, wherever it is).
 * The in-process store is provided by default; a shared one (Redis) can replace it without
 * touching its callers. Asynchronous for that reason, though the in-process store never waits.
 *
 * Every implementation must: count a socket id once however often it is reported; answer
 * `connected` true for exactly one socket of a member going from none to some, and `disconnected`
 * true for exactly one going back to none, across all processes; and forget the sockets of a
 * process that dies (a shared store, by expiry) so its members do not stay online forever.
 */
export abstract class PresenceStore {
  /** Counts this socket for the member; true when it brought the member online. */
  abstract connected(publicKey: string, socketId: string): Promise<boolean>;
  /** Stops counting this socket; true when it was the member's last one. */
  abstract disconnected(publicKey: string, socketId: string): Promise<boolean>;
  abstract isOnline(publicKey: string): Promise<boolean>;
}
