/** The standard normal's 0.975 quantile, Φ⁻¹(0.975) to double precision: the z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;
