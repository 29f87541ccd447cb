/**
 * The note for a table or chart by month whose as-of date is not its month's last day: the last month of every row
 * counts only its days to then, so its figure reads low beside whole months. Null at a month's last day. `cells`
 * names what is cut short (`the last figure of each row`, `the last cell of each row`). Shared by `clvkit cohorts`
 * and the report's cohort heatmap.
 *
 * Example: `partMonthNote('2023-03-11', 'the last figure of each row')` → `'the last month, 2023-03, is counted to
 * 2023-03-11 (11 of its 31 days): the last figure of each row is of part of a month, lower than a whole month would show'`
 */
export function partMonthNote(asOf: string, cells: string): string | null {
  const [year, month, day] = asOf.split('-').map(Number) as [number, number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= days ? null : `the last month, ${asOf.slice(0, 7)}, is counted to ${asOf} (${day} of its ${days} days): ${cells} is of part of a month, lower than a whole month would show`;
}
