/**
 * ROI when no one in either group bought in the window: (0 − cost) / cost = −1, its interval [−1, −1]. Correct, and
 * the JSON keeps those numbers, but printed as they are they read as a certain loss; campaign evaluate, campaign
 * compare, the report and the dashboard say instead that there is nothing to measure the campaign by.
 * Plain data, no node: imports (the report's KPI row, which the browser bundle imports, uses it).
 */

/** The cell of an ROI that says nothing of the campaign (compare's column, the report's and the dashboard's). */
export const ROI_NOBODY_BOUGHT = 'not informative: no one bought in either group';

/** Whether no one in either group bought in the window (`buyers`: each group's share of buyers). */
export function nobodyBought(buyers: { readonly treatment: number; readonly control: number }): boolean {
  return buyers.treatment === 0 && buyers.control === 0;
}
