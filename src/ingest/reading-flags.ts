/**
 * The reading options of an ingest rendered back as the flags that give them, for a hint that suggests a command
 * reading the same file the same way (`clvkit ingest FILE --db PATH …`, ingest-run-warnings.ts).
 */
import type { ReadingOptions } from './held-file-reading.js';
import { mapFlag } from './match-column-roles.js';
import { shellOption } from '../core/shell-word.js';

/**
 * The flags of `options` as given (nothing detected is added): --map (each role as `mapFlag` writes it),
 * --date-format, --delimiter, --timezone, --decimal-separator, --header / --no-header and the cleaning switches.
 *
 * Example: `readingFlags({ map: { customer_id: '1' }, dateFormats: ['%d/%m/%Y'], delimiter: ';', header: false })`
 * → `['--map customer_id=1', "--date-format '%d/%m/%Y'", "--delimiter ';'", '--no-header']`
 */
export function readingFlags(options: ReadingOptions): string[] {
  const flags = Object.entries(options.map ?? {}).flatMap(([role, column]) => (column === undefined ? [] : [mapFlag(role, column)]));
  for (const format of options.dateFormats ?? []) flags.push(shellOption('--date-format', format));
  if (options.delimiter !== undefined) flags.push(shellOption('--delimiter', options.delimiter));
  if (options.timezone !== undefined) flags.push(shellOption('--timezone', options.timezone));
  if (options.decimalSeparator !== undefined) flags.push(shellOption('--decimal-separator', options.decimalSeparator));
  if (options.header !== undefined) flags.push(options.header ? '--header' : '--no-header');
  if (options.rules?.nonProduct === false) flags.push('--keep-non-products');
  if (options.rules?.nonProductCodes !== undefined) flags.push(shellOption('--non-product-codes', options.rules.nonProductCodes.join(',')));
  if (options.rules?.duplicate === false) flags.push('--keep-duplicates');
  if (options.duplicateText === 'text') flags.push('--keep-duplicate-text');
  return flags;
}
