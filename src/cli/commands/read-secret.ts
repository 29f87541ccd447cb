import { UserError } from '../../core/errors/user-error.js';

/**
 * A password for a command: `CLVKIT_PASSWORD` when set, else stdin — the
 * whole of a pipe (one trailing newline dropped), or one line typed at a
 * terminal without echo.
 */
export async function readSecret(prompt: string, env: Readonly<Record<string, string | undefined>> = process.env, stdin: NodeJS.ReadStream = process.stdin, stderr: { write(text: string): unknown } = process.stderr): Promise<string> {
  const fromEnv = env.CLVKIT_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (stdin.isTTY) return readHidden(prompt, stdin, stderr);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text.includes('\n')) throw new UserError('the password on stdin has more than one line', 'pipe only the password, e.g. printf %s "$PASSWORD" | clvkit users add …');
  return text;
}

function readHidden(prompt: string, stdin: NodeJS.ReadStream, stderr: { write(text: string): unknown }): Promise<string> {
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UserError('cancelled', 'set CLVKIT_PASSWORD or type the password'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
