/**
 * How p-values are printed. No imports: the CLI formats with these before
 * loading the actions, engines and models (`cli-start-up`).
 */

/** A campaign estimate's p-value as the campaign lines print it: three decimals, '<0.001' below (0.378, 0.050, <0.001). */
export function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** The p-value as a comparison on a text line: `p = 0.378`, `p < 0.001` (not `p = <0.001`). */
export function pEquals(p: number): string {
  const shown = formatP(p);
  return shown.startsWith('<') ? `p < ${shown.slice(1)}` : `p = ${shown}`;
}

/** A Qini permutation p-value as printed: 3 significant digits, trailing zeros dropped (0.001, 0.23, 1; 0.0005 with 1,999 shuffles). */
export function formatQiniP(p: number): string {
  return p.toPrecision(3).replace(/\.?0+$/, '');
}
