/** A Qini permutation p-value as printed: 3 significant digits, trailing zeros dropped (0.001, 0.23, 1). No imports: the CLI formats with it before loading the models. */
export function formatQiniP(p: number): string {
  return p.toPrecision(3).replace(/\.?0+$/, '');
}
