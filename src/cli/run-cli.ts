import { Command, CommanderError, Help, type HelpContext, type Option } from 'commander';
import { isUserError, UserError } from '../core/errors/user-error.js';
import { BUSY_EXIT_CODE, BusyError } from '../core/errors/busy-error.js';
import { AccessDeniedError } from '../core/errors/access-denied-error.js';
import { QueryError } from '../core/errors/query-error.js';
import { StoppedError } from '../core/errors/stopped-error.js';
import { InterruptedError } from '../core/errors/interrupted-error.js';
import { CLVKIT_VERSION } from '../core/version.js';
import { processIo, type CliIo } from './cli-io.js';
import { userFileSystemError } from './file-system-refusal.js';
import { analyzeCommand } from './commands/analyze-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { summarizeCommand } from './commands/summarize-command.js';
import { fitCommand } from './commands/fit-command.js';
import { validateCommand } from './commands/validate-command.js';
import { rulesCommand } from './commands/rules-command.js';
import { sequencesCommand } from './commands/sequences-command.js';
import { recommendCommand } from './commands/recommend-command.js';
import { synthCommand } from './commands/synth-command.js';
import { cohortsCommand, lifecycleCommand, segmentsCommand } from './commands/segment-commands.js';
import { privacyCommand } from './commands/privacy-command.js';
import { keysCommand } from './commands/keys-command.js';
import { auditCommand } from './commands/audit-command.js';
import { eraseCommand } from './commands/erase-command.js';
import { retentionCommand } from './commands/retention-command.js';
import { customerCommand } from './commands/customer-command.js';
import { audienceCommand } from './commands/audience-command.js';
import { campaignCommand } from './commands/campaign-command.js';
import { playbookCommand } from './commands/playbook-command.js';
import { serveCommand } from './commands/serve-command.js';
import { usersCommand } from './commands/users-command.js';
import { tokensCommand } from './commands/tokens-command.js';
import { ingestsCommand } from './commands/ingests-command.js';
import { groupOptionHint } from './group-option-hint.js';
import { addQuietOption, quietableIo } from './quiet-option.js';
import { interruptedBy, interruptedExitCode } from './interrupt-signal.js';


/** `keys rotate` for the rotate subcommand of keys. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A command group named without one of its commands (`clvkit campaign`) is bad input like any other: one line
 * naming them, the hint to ask for its help, exit 2. Commander would print the group's help on stderr and exit
 * with its help code (which the CLI answers with 0); it calls `help({ error: true })` only there — `--help`,
 * `help campaign` and `campaign help` print the help without `error`, and keep doing so.
 */
function requireSubcommand(group: Command): void {
  const help = group.help.bind(group) as (context?: HelpContext) => never;
  group.help = ((context?: HelpContext) => {
    if (typeof context !== 'object' || !context.error) return help(context);
    const names = group.commands.map((c) => c.name());
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
    return group.error(`error: clvkit ${commandPath(group)} needs a subcommand: ${list}`, { code: 'commander.missingSubcommand', exitCode: 2 });
  }) as Command['help'];
}

/** The CLI's commands, each answering its parse errors in one line (exported for the tests that walk every option). */
export function buildProgram(raw: CliIo): Command {
  // the commands write through an io whose stderr --quiet mutes; the parser's errors and runCli's go to `raw`
  const quiet = quietableIo(raw);
  const io = quiet.io;
  const program = new Command('clvkit')
    .description('Customer-lifecycle analytics: what each customer is worth, where they stand, what to do next.')
    .version(CLVKIT_VERSION);
  for (const command of [ingestCommand(io), ingestsCommand(io), summarizeCommand(io), fitCommand(io), validateCommand(io), rulesCommand(io), sequencesCommand(io), recommendCommand(io), segmentsCommand(io), lifecycleCommand(io), cohortsCommand(io), synthCommand(io), analyzeCommand(io), privacyCommand(io), keysCommand(io), auditCommand(io), eraseCommand(io), retentionCommand(io), customerCommand(io), audienceCommand(io), campaignCommand(io), playbookCommand(io), serveCommand(io), usersCommand(io), tokensCommand(io)]) program.addCommand(command);
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (s) => void raw.stdout.write(s),
      writeErr: (s) => void raw.stderr.write(s),
      // the parser's own errors (unknown option, invalid choice, missing argument) in the one-line form of every other error
      outputError: (message, write) => write(`clvkit: ${message.trim().replace(/\s*\n\s*/g, ' ')} (hint: ${(command.parent && groupOptionHint(command, message, commandPath(command))) || `run clvkit ${command.name() === 'clvkit' ? '' : `${commandPath(command)} `}--help for usage`})\n`),
    });
    if (command.parent && command.commands.length > 0) requireSubcommand(command);
    // a mandatory option says so in --help (commander lists it like any other, and the run then fails on it)
    command.configureHelp({
      optionDescription(this: Help, option: Option) {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory && !text.endsWith('(required)') ? `${text} (required)` : text;
      },
    });
    command.commands.forEach(configure);
  };
  configure(program);
  addQuietOption(program, quiet.setQuiet);
  return program;
}

const HELP_FLAGS = new Set(['--help', '-h']);

/**
 * `argv` without its request for help when that request names a command that
 * does not exist (`clvkit measure --help`, `-h`, `clvkit help measure`, `clvkit
 * campaign bogus --help`); null otherwise. Commander prints the help of the
 * last command it knows for these, with exit code 0, where the same command
 * without --help is an unknown-command error: parsed without it, it is that
 * error. Walks the commands named in `argv` (an option of a command with
 * subcommands that takes a value skips that value); stops at a command without
 * subcommands, whose operands are its arguments, and at `--`.
 *
 * Example: `argvWithoutHelpForUnknownCommand(program, ['measure', '--help'])` → `['measure']`; `(program, ['ingest', '--help'])` → null
 */
function argvWithoutHelpForUnknownCommand(program: Command, argv: readonly string[]): string[] | null {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const helpFlag = argv.slice(0, end).some((a) => HELP_FLAGS.has(a));
  let command = program;
  let helpCommand = -1; // index of `help` as the command (`clvkit help measure`)
  for (let i = 0; i < end && command.commands.length > 0; i++) {
    const token = argv[i]!;
    if (token.startsWith('-')) {
      const option = command.options.find((o) => o.long === token || o.short === token);
      if (option && (option.required || option.optional) && !token.includes('=')) i++;
      continue;
    }
    if (token === 'help' && helpCommand < 0 && !command.commands.some((c) => c.name() === 'help')) {
      helpCommand = i;
      continue;
    }
    const next = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (!next) {
      if (!helpFlag && helpCommand < 0) return null;
      return argv.filter((a, j) => j === i || j >= end || (!HELP_FLAGS.has(a) && j !== helpCommand));
    }
    if (helpCommand >= 0) return null; // `help campaign`: commander prints that command's help
    command = next;
  }
  return null;
}

/** What an option's value is called in its refusal: `<file>` → 'a file', `<date>` → 'a value (<date>)'. */
function valueNoun(option: Option): string {
  const name = /<([^>]+)>/.exec(option.flags)?.[1] ?? 'value';
  const nouns: Readonly<Record<string, string>> = { file: 'a file', path: 'a path', dir: 'a folder', url: 'a URL' };
  return nouns[name] ?? `a value (<${name}>)`;
}

/**
 * The refusal of an option that takes a value given another option as it (`analyze t.csv --events --out /tmp/x`),
 * or null. The parser takes the next argument as the value whatever it is: `--events` then read the file `--out`,
 * and `/tmp/x` became a transaction file ("/tmp/x is a directory"). A value is refused when it is an option of the
 * command (or its parents) or looks like one (`--` and a letter); `--events=--x` passes such a value on purpose.
 * Walks the commands named in `argv` as `argvWithoutHelpForUnknownCommand` does; stops at `--`.
 *
 * Example: `optionGivenAnOption(program, ['analyze', 't.csv', '--events', '--out', 'x'])?.message` → `--events needs a file; got the option --out`
 */
function optionGivenAnOption(program: Command, argv: readonly string[]): UserError | null {
  for (const { token, index, option, known } of givenOptions(program, argv)) {
    if (token.includes('=') || !option?.required) continue; // a switch, an optional value (never taken from an option), or unknown (the parser says so)
    const value = index + 1 < argv.length && argv[index + 1] !== '--' ? argv[index + 1]! : undefined;
    if (value !== undefined && (/^--[A-Za-z]/.test(value) || known.some((o) => o.short === value) || HELP_FLAGS.has(value))) {
      const named = known.some((o) => o.long === value.split('=')[0] || o.short === value) || HELP_FLAGS.has(value) ? `the option ${value}` : `${value}, which reads as an option`;
      return new UserError(`${token} needs ${valueNoun(option)}; got ${named}`, `give ${token} its value before the next option, as ${option.flags}; a value that itself starts with -- is written ${token}=VALUE`);
    }
  }
  return null;
}

/**
 * The options given in `argv` before `--`, in order: each token that starts with `-`, its place, the option it names
 * among those of the command named so far and its parents (`known`; undefined when none), and that command. The value
 * of an option that requires one is passed over, not walked as a token; the walk ends at a command its group does not
 * have (the parser says so). `optionGivenAnOption` and `repeatedRole` read argv through it.
 */
function* givenOptions(program: Command, argv: readonly string[]): Generator<{ token: string; index: number; option: Option | undefined; known: Option[]; command: Command }> {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  let command = program;
  for (let i = 0; i < end; i++) {
    const token = argv[i]!;
    if (token.startsWith('-') && token !== '-') {
      const known: Option[] = [];
      for (let c: Command | null = command; c; c = c.parent) known.push(...c.options);
      const option = token.includes('=') ? undefined : known.find((o) => o.long === token || o.short === token);
      yield { token, index: i, option, known, command };
      if (option?.required) i++;
      continue;
    }
    if (command.commands.length === 0) continue; // an operand of the command
    const next = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (!next) return;
    command = next;
  }
}

/**
 * The refusal of a `--role` given more than once (`--role VALUE` or `--role=VALUE`, before `--`), or null: the parser
 * lets the last one win without a word, and on `tokens create` (where --role is the new token's role)
 * `--role viewer … --role admin` made an admin token. Reads argv as `optionGivenAnOption` does (`givenOptions`): the
 * command named says which hint.
 *
 * Example: `repeatedRole(program, ['tokens', 'create', 't', '--role', 'viewer', '--role', 'admin'])?.message` → `--role given twice (viewer, admin)`
 */
function repeatedRole(program: Command, argv: readonly string[]): UserError | null {
  const roles: string[] = [];
  let tokensCreate = false;
  for (const { token, index, command } of givenOptions(program, argv)) {
    if (token.startsWith('--role=')) roles.push(token.slice('--role='.length));
    else if (token === '--role') roles.push(index + 1 < argv.length && argv[index + 1] !== '--' ? argv[index + 1]! : '');
    else continue;
    tokensCreate = command.name() === 'create' && command.parent?.name() === 'tokens';
  }
  if (roles.length < 2) return null;
  const meaning = tokensCreate ? "on tokens create it is the new token's role" : 'it is the role you act as';
  return new UserError(`--role given ${roles.length === 2 ? 'twice' : `${roles.length} times`} (${roles.join(', ')})`, `${meaning}; give it once`);
}

/**
 * Run the CLI on arguments (without `node` and the script): returns the exit
 * code — 0 done, 2 user error (one line with a hint, no stack trace; a
 * file-system error on the user's paths too: `userFileSystemError`), 75 the
 * warehouse in use by another process (`BusyError`: try again later), 130
 * stopped by Ctrl-C, 143 by SIGTERM (one line saying what was done:
 * `InterruptedError`), 1 bug.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    const refusal = optionGivenAnOption(program, argv);
    if (refusal) throw refusal;
    const repeated = repeatedRole(program, argv);
    if (repeated) throw repeated;
    // `clvkit measure --help`: the unknown-command error of `clvkit measure`, not the main help
    await program.parseAsync(argvWithoutHelpForUnknownCommand(program, argv) ?? [...argv], { from: 'user' });
    return 0;
  } catch (thrown) {
    // a file-system error the user can fix (a permission, a folder for a file, a full disk): their refusal, not a bug
    const error = userFileSystemError(thrown, argv) ?? thrown;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (isUserError(error)) {
      // on the command line the role is declared with --role: name the least privileged one that would do
      const least = error instanceof AccessDeniedError ? error.allowedRoles.at(-1) : undefined;
      const hint = least ? `${error.hint}; if you act as ${least}, pass --role ${least}` : error.hint;
      io.stderr.write(`clvkit: error: ${error.message}${hint ? ` (hint: ${hint})` : ''}\n`);
      // the warehouse in use by another process: try again later (a scheduled job retries), not a fault to fix
      return error instanceof BusyError ? BUSY_EXIT_CODE : 2;
    }
    if (error instanceof InterruptedError) {
      io.stderr.write(`clvkit: ${error.message}\n`);
      return interruptedExitCode(interruptedBy(error)); // as a shell reports a process ended by the signal: 130 (SIGINT), 143 (SIGTERM)
    }
    if (error instanceof StoppedError) {
      io.stderr.write(`clvkit: stopped: ${error.message}\n`);
      return 1;
    }
    const detail = error instanceof QueryError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`clvkit: internal error — please report it with the command you ran:\n${detail}\n`);
    return 1;
  }
}
