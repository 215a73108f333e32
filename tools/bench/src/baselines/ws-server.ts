/**
 * Baseline 2: a bare `ws` broadcast server. One room: every text frame a client sends goes to every
 * open connection (sender included). No acknowledgement, no auth, no persistence.
 */
import { WebSocket, WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});

wss.on('listening', () => {
  const address = wss.address();
  if (address && typeof address === 'object') console.log(`listening ${address.port}`);
});
