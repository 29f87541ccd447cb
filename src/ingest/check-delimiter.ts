import { UserError } from '../core/errors/user-error.js';

/** The most bytes DuckDB's CSV reader takes as a delimiter (longer: "cannot exceed a size of 4 bytes"). */
export const MAX_DELIMITER_BYTES = 4;

/**
 * `UserError` for a delimiter the reader cannot use: empty, or longer than
 * MAX_DELIMITER_BYTES in UTF-8 ('whitespace' and the two characters `\t`
 * are names, not delimiters). Checked before a warehouse or key is made.
 *
 * Example: `checkDelimiter('<sep>')` throws; `checkDelimiter(';;')` passes.
 */
export function checkDelimiter(delimiter: string | undefined): void {
  if (delimiter === undefined || delimiter === 'whitespace' || delimiter === '\\t') return;
  const hint = `pass one character such as ',' ';' '|' or '\\t' (tab), a sequence of up to ${MAX_DELIMITER_BYTES} bytes such as ';;', or 'whitespace' for blank-separated columns; leave it out to have it detected`;
  if (delimiter === '') throw new UserError("--delimiter '' is empty", hint);
  const bytes = Buffer.byteLength(delimiter, 'utf8');
  if (bytes > MAX_DELIMITER_BYTES) throw new UserError(`--delimiter '${delimiter}' is ${bytes} bytes: the reader takes a delimiter of 1 to ${MAX_DELIMITER_BYTES} bytes`, hint);
}
