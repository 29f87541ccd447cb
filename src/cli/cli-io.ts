/** Where a command writes: stdout for results (JSON, tables), stderr for progress and errors. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  /** stderr itself when `stderr` is muted by --quiet (quiet-option.ts): for the lines of a stop, said even then */
  readonly unmuted?: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** A warning on stderr, one line: `clvkit: warning: …` (a read command's `InputWarehouseOptions.warn`). */
export function warnOn(io: CliIo): (warning: string) => void {
  return (warning) => void io.stderr.write(`clvkit: warning: ${warning}\n`);
}

/** Collect repeated flags: `--map a=1 --map b=2` → ['a=1', 'b=2']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
