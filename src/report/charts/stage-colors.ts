import { categoryColor } from './chart-theme.js';

/** Conventional colours for common stage names, so a stage looks the same in every chart and report. */
const KNOWN: Readonly<Record<string, string>> = {
  new: '#0891b2',
  active: '#16a34a',
  loyal: '#2563eb',
  champion: '#1e3a8a',
  'at risk': '#ca8a04',
  'at-risk': '#ca8a04',
  dormant: '#ea580c',
  lapsing: '#ea580c',
  churned: '#dc2626',
  lost: '#dc2626',
  reactivated: '#9333ea',
  prospect: '#94a3b8',
};

/**
 * The one word a lifecycle stage is printed as in the report and the dashboard: the run's code (`at_risk`) and an
 * older run.json's word (`At risk`) both read `at risk` — a QA pass found `at_risk` in the stage snapshot beside
 * `At risk` elsewhere. Lower case, underscores as spaces; also for browse stages (`browsing_active` → `browsing active`).
 */
export function stageLabel(name: string): string {
  return name.trim().replace(/_+/g, ' ').toLowerCase();
}

/** Colour of a stage: its conventional colour when the name is known (by its label: `at_risk` is `at risk`), else its position in `order`. */
export function stageColor(name: string, order: readonly string[]): string {
  return KNOWN[stageLabel(name)] ?? categoryColor(Math.max(0, order.indexOf(name)));
}
