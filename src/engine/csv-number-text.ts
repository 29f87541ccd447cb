/**
 * How every engine writes a floating-point number to a CSV file
 * (`Warehouse.exportCsv`), so that the files two engines write from the same
 * numbers are the same bytes: the shortest digits that read back as the same
 * double, laid out as DuckDB's COPY lays them out (which is Python's
 * `repr`) — plain notation with at least one decimal when the decimal
 * exponent is from −4 to 15 (`1.0`, `56.0`, `0.0001`, `-0.0`,
 * `1000000000000000.0`), else exponent notation with a sign and at least two
 * digits (`9e-06`, `1e+16`, `1.2345678901234568e+17`); `nan`, `inf`, `-inf`.
 * DuckDB writes this itself; the ClickHouse engine rewrites its own form
 * (`1`, `0.000009`, `1e21`, JavaScript's) into it.
 *
 * Example: `doubleCsvText(56)` → `'56.0'`; `doubleCsvText(0.000009)` → `'9e-06'`; `doubleCsvText(1e21)` → `'1e+21'`
 */
export function doubleCsvText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // JavaScript's shortest round-trip digits (the closest of the shortest, as DuckDB's), in its own layout
  const text = String(value);
  const sign = text.startsWith('-') ? '-' : '';
  const [mantissa, exponentText] = text.slice(sign.length).split('e') as [string, string | undefined];
  const [whole, fraction = ''] = mantissa.split('.') as [string, string | undefined];
  // digits d1 d2 … with the decimal point after d1 times 10^exponent
  const all = whole + fraction;
  const leading = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(leading).replace(/0+$/, '');
  const exponent = (exponentText === undefined ? 0 : Number(exponentText)) + whole.length - 1 - leading;
  if (exponent < -4 || exponent >= 16) {
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${integer}.${digits.slice(exponent + 1) || '0'}`;
}
