import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Makes `server` close a timed-out connection (the kept-alive idle timeout, the idle connection timeout) one turn of
 * the event loop later, and only if no request began on it meanwhile. Returns the server.
 *
 * Why: Node closes a kept-alive connection when its idle timer fires, and timers run before the loop reads its
 * sockets. When the loop was held longer than the timeout (a run's synchronous stage — a model fit — on a loaded
 * machine: 7 s seen at load 18), a request that a client sent meanwhile on that connection is waiting unread when the
 * timer fires; closing a socket with unread data resets it, and the client's request fails with ECONNRESET (seen
 * polling GET /api/runs/:id during a run). `setImmediate` runs after the loop has read what is waiting: a request read
 * by then keeps its connection (Node then times it as a request again); an idle connection is closed as before.
 */
export function closeIdleAfterReading(server: Server): Server {
  const requestsOn = new WeakMap<Socket, number>();
  server.on('request', (request: { socket: Socket }) => requestsOn.set(request.socket, (requestsOn.get(request.socket) ?? 0) + 1));
  // with a 'timeout' listener Node leaves the timed-out socket to it (it no longer destroys it itself)
  server.on('timeout', (socket: Socket) => {
    const seen = requestsOn.get(socket);
    setImmediate(() => {
      if (requestsOn.get(socket) === seen) socket.destroy();
    });
  });
  return server;
}
