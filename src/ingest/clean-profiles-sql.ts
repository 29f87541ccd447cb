/**
 * The SELECT that types and judges every staged row of a customer profile
 * file, with the output contract of the shared loaders (`line`, `raw`,
 * `row_hash`, `customer_id`, `ts` = the sign-up time, `reason`, `detail`,
 * `pii_<role>`), plus the profile columns.
 *
 * Rules, the first that applies: `missing_customer_id`, `bad_date` (a
 * sign-up date given but unreadable), `future_date` (sign-up after the
 * ingest), `bad_number` (acquisition cost or birth year given but not a
 * number, or a negative cost), `duplicate` (an exact copy of an earlier line).
 * A profile without a sign-up date is accepted (sign-up unknown). When a
 * customer has several accepted rows, the last line wins when loading. The
 * acquisition channel is folded to lower case (trimmed, as every text): `Email`
 * and `email` are one channel in every table that groups by it, as the run's
 * decisions on groups (`groupKey`) already took them.
 */
import { PII_ROLES, type PiiRole } from '../privacy/access/classification.js';
import { stagedRowSql, type CleanTableInput } from './clean-events-sql.js';
import { numberProblemSql, numberTextSql } from './decimal-separator.js';
import type { ProfileRole } from './source-kind.js';

export function buildCleanProfilesSql(input: CleanTableInput<ProfileRole>): string {
  const d = input.dialect;
  const { col, rowHash, rawPassed, rawPassedSql, id, text, ts, dateOffset } = stagedRowSql(input);
  const present = (role: ProfileRole) => `(${col(role)} IS NOT NULL AND ${col(role)} <> '')`;
  // the acquisition cost is read with the file's decimal separator (1.234,50 or 1,234.50)
  const cost = numberTextSql(d, col('acquisition_cost'), input.decimalSeparator);
  const year = d.tryNumber(d.replaceFirstMatch(col('birth_year'), '^([-+]?)[$€£¥]', '\\1'));
  const pii = (role: PiiRole) => (input.mapping[role] === undefined ? 'CAST(NULL AS VARCHAR)' : text(role));
  const when = (enabled: boolean, condition: string, reason: string) => (enabled ? `WHEN ${condition} THEN '${reason}'` : '');
  return `
SELECT line, CASE WHEN reason IS NOT NULL THEN ${rawPassedSql} END AS raw, row_hash, customer_id, ts,${input.dateOffsets ? ' date_offset,' : ''} acquisition_channel, acquisition_cost, region, country, gender,
  CAST(birth_year AS BIGINT) AS birth_year, ${PII_ROLES.map((role) => `pii_${role}`).join(', ')}, reason,
  CASE WHEN reason = 'bad_date' THEN 'sign-up date: ' || COALESCE(date_text, '')
       WHEN reason = 'bad_number' AND has_cost AND acquisition_cost IS NULL THEN ${d.literal(`${input.mapping.acquisition_cost ?? 'acquisition_cost'}: `)} || cost_text || ${numberProblemSql(d, 'cost_text', input.decimalSeparator)} END AS detail
FROM (
  SELECT typed.*,
    CASE
      WHEN customer_id IS NULL THEN 'missing_customer_id'
      WHEN date_text IS NOT NULL AND date_text <> '' AND ts IS NULL THEN 'bad_date'
      ${when(input.rules.futureDate, `ts > ${d.timestamp(input.latestDateIso)}`, 'future_date')}
      WHEN (has_cost AND (acquisition_cost IS NULL OR NOT ${d.isFinite('acquisition_cost')} OR acquisition_cost < 0))
        OR (has_birth_year AND (birth_year IS NULL OR birth_year <> round(birth_year))) THEN 'bad_number'
    END AS reason
  FROM (
  SELECT ${input.lineSql} AS line, ${rawPassed}, ${rowHash} AS row_hash,
    ${id('customer_id')} AS customer_id,
    ${col('signup_date')} AS date_text, ${ts('signup_date')} AS ts${dateOffset('signup_date')},
    lower(${text('acquisition_channel')}) AS acquisition_channel,
    ${cost} AS acquisition_cost, ${present('acquisition_cost')} AS has_cost, ${col('acquisition_cost')} AS cost_text,
    ${text('region')} AS region, ${text('country')} AS country, ${text('gender')} AS gender,
    ${year} AS birth_year, ${present('birth_year')} AS has_birth_year,
    ${PII_ROLES.map((role) => `${pii(role)} AS pii_${role}`).join(', ')}
  FROM ${input.stageTable}
  ) typed
) judged`;
}
