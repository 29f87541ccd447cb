/**
 * `--quiet` on every command that runs (session 43: a nightly job's cron mails whatever it writes): nothing on stderr
 * but errors — the one line of a refusal, a failure or a stop, which `runCli` writes to the unmuted stream, as do the
 * lines a stopped command says (`stopLines`) — and no progress lines, notes or warnings; the warnings stay in a
 * command's output (`--json` `warnings`, the text summary), where it has them. One meaning for every command: ingest,
 * analyze and synth had their own (no progress), the others none.
 */
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';

export const QUIET_HELP = 'nothing on stderr but errors, a stop and the few lines an operator must see (a key file created, a file others may read, serve\'s security warnings): no progress lines, notes or other warnings (with --json the warnings stay in its warnings, where the command has them)';

/**
 * The commands' io, whose stderr writes nothing while `--quiet` is on (`setQuiet`), and keeps the stream's other
 * members (a terminal's `isTTY`, `columns`, `cursorTo` for the progress bar); `unmuted` is the stream itself.
 */
export function quietableIo(io: CliIo): { readonly io: CliIo; setQuiet(on: boolean): void } {
  let quiet = false;
  const target = io.stderr as object;
  const stderr = new Proxy(target, {
    get(object, property) {
      if (property === 'write' && quiet) return () => true;
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  }) as CliIo['stderr'];
  return { io: { stdout: io.stdout, stderr, unmuted: io.stderr }, setQuiet: (on) => void (quiet = on) };
}

/**
 * The stream of the lines said under --quiet too: those a stopped or failing command says itself (an interrupted
 * analysis, serve's stop), and the few an operator must see even from a quiet nightly job — a key file created (keep a
 * backup of it), a warehouse file other users may read, serve's security warnings.
 */
export function stopLines(io: CliIo): CliIo['stderr'] {
  return io.unmuted ?? io.stderr;
}

/**
 * Adds `--quiet` (`QUIET_HELP`) to every command of `program` that runs (has no subcommands), taking over the text of
 * one that declared it, and turns the muting on for the command about to run (`setQuiet`, before its action).
 */
export function addQuietOption(program: Command, setQuiet: (on: boolean) => void): void {
  const visit = (command: Command) => {
    if (command.commands.length > 0) return command.commands.forEach(visit);
    const own = command.options.find((option) => option.long === '--quiet');
    if (own) own.description = QUIET_HELP;
    else command.option('--quiet', QUIET_HELP);
  };
  visit(program);
  program.hook('preAction', (_program, action) => setQuiet(action.opts().quiet === true));
}
