/**
 * A word as a shell reads it, for a hint that suggests a command: as it is when it needs no quotes, else in single
 * quotes (a quote inside closed, escaped and reopened). Quotes do not keep a word that starts with `-` from reading as
 * an option (the shell removes them): a path is written with `shellPath`, an option's value with `shellOption`, and an
 * operand that is not a path goes after `--`.
 *
 * Example: `shellWord('orders.csv')` → `orders.csv`; `shellWord('phone=Phone Number')` → `'phone=Phone Number'`
 */
export function shellWord(word: string): string {
  return /^[\w.,:/+@=-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * A path as a shell reads it (`shellWord`), a relative one that starts with `-` written from the current folder
 * (`./-orders.csv`): as it is, the command would read it as an option, as an operand or as an option's value.
 *
 * Example: `shellPath('-orders.csv')` → `./-orders.csv`; `shellPath('my shop.duckdb')` → `'my shop.duckdb'`
 */
export function shellPath(path: string): string {
  return shellWord(path.startsWith('-') ? `./${path}` : path);
}

/**
 * An option and its value as a shell reads them: `--flag value`, or `--flag=value` when the value starts with `-`
 * (the CLI refuses an option's value that reads as an option: `--date-format --x`).
 *
 * Example: `shellOption('--timezone', '-05:00')` → `--timezone=-05:00`; `shellOption('--delimiter', ';')` → `--delimiter ';'`
 */
export function shellOption(flag: string, value: string): string {
  return value.startsWith('-') ? `${flag}=${shellWord(value)}` : `${flag} ${shellWord(value)}`;
}
