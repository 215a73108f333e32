/**
 * Baseline 1: a bare Socket.IO 4.8 broadcast server. Rooms and `io.to(room).emit`, no auth, no
 * persistence. Every client joins the room named in its handshake query; `send` is broadcast to
 * the whole room (sender included, as mpqcht does) and acknowledged.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'] });

io.on('connection', (socket) => {
  const query = socket.handshake.query['room'];
  const room = typeof query === 'string' ? query : 'bench';
  void socket.join(room);
  socket.on('send', (payload: unknown, ack: unknown) => {
    io.to(room).emit('message', payload);
    if (typeof ack === 'function') (ack as (answer: unknown) => void)({ ok: true });
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address && typeof address === 'object') console.log(`listening ${address.port}`);
});
