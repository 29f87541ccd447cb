import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './server-fixture.js';

/** The status lines of the whole answers read so far on a raw HTTP/1.1 connection (each answer sized by its Content-Length). */
function answersIn(received: string): string[] {
  const answers: string[] = [];
  let rest = received;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return answers;
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return answers;
    answers.push(head.split('\r\n')[0]!);
    rest = rest.slice(end + 4 + length);
  }
}

const HEALTH = 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

// ECONNRESET seen polling GET /api/runs/:id in serve-on-clickhouse under load: a run's synchronous stage held the server's
// event loop 7 s, past the keep-alive timeout (5 s, and Node's 1 s more); the timer closed the connection before the loop
// had read the request waiting on it, and closing a socket with unread data resets it.
describe('a kept-alive connection and an event loop held past its timeout', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await openTestServer({ keepAliveTimeoutMs: 1 }); // idle connections closed after 1 ms (+ Node's 1 s)
    port = Number(new URL(await server.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  afterAll(() => server.close());

  it('a request sent while the loop is held is answered, not reset; the connection is closed once idle as before', async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    const errors: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (received += text));
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(String(error.code)));
    const closed = new Promise<string[]>((resolve) => socket.on('close', () => resolve(answersIn(received))));
    const answered = async (count: number) => {
      while (answersIn(received).length < count && !socket.destroyed) await new Promise((resolve) => setImmediate(resolve));
    };
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    socket.write(HEALTH);
    await answered(1);
    expect(answersIn(received)).toEqual(['HTTP/1.1 200 OK']);
    // the server's keep-alive timer runs from its answer: the next request is sent, then the loop is held past the timer
    socket.write(HEALTH);
    for (const until = Date.now() + 1_500; Date.now() < until; );
    await answered(2);
    expect([answersIn(received), errors]).toEqual([['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'], []]);
    // idle again: closed by the server after the timeout (not kept open by the change)
    expect(await closed).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    expect(errors).toEqual([]);
  });
});
