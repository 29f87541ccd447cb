import type { Keyring } from '../privacy/keys/keyring.js';
import { rowHashSecret } from '../privacy/tokens/pseudonymise.js';
import type { CleanSqlInput } from './cleaning-rules.js';
import type { DecimalSeparator } from './decimal-separator.js';
import type { DateFormat } from './detect-date-format.js';
import { countsDateOffsets, latestShopTimeIso, type OffsetDetection } from './time-zone-offsets.js';

/** What a judging pass reads a file's rows with, beyond their columns and rules. */
export type FileReadingSettings = Pick<CleanSqlInput, 'dateFormats' | 'shopTimezone' | 'dateOffsets' | 'decimalSeparator' | 'latestDateIso' | 'rawSeparator' | 'rowHashSecret'>;

/**
 * The reading settings of one file, the same for transaction, event and profile files: its date formats, its shop
 * time zone and the latest date accepted on that clock (`latestShopTimeIso`), whether its dates' UTC offsets are
 * counted (`countsDateOffsets`), its decimal separator, the separator its rejected lines are rebuilt with, and, with a
 * key, the secret mixed into its row hashes.
 */
export function fileReadingSettings(file: {
  readonly dateFormats: readonly DateFormat[];
  readonly zone: OffsetDetection;
  readonly decimalSeparator: DecimalSeparator | undefined;
  readonly delimiter: string | null;
  readonly keyring: Keyring | null;
  readonly now: Date;
}): FileReadingSettings {
  const dateOffsets = countsDateOffsets(file.dateFormats, file.zone);
  return {
    dateFormats: file.dateFormats,
    latestDateIso: latestShopTimeIso(file.now, file.zone.timezone),
    ...(file.zone.timezone ? { shopTimezone: file.zone.timezone } : {}),
    ...(dateOffsets ? { dateOffsets } : {}),
    ...(file.decimalSeparator ? { decimalSeparator: file.decimalSeparator } : {}),
    rawSeparator: file.delimiter && file.delimiter !== 'whitespace' ? file.delimiter : ' ',
    ...(file.keyring ? { rowHashSecret: rowHashSecret(file.keyring) } : {}),
  };
}
