/** A rendered section of the report: its anchor id, its navigation title, its markup. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** one line under the heading: what the section answers */
  readonly lead: string;
  readonly html: string;
}

/** Section ids in report order; a section appears only when its data is present (`overview`, `data-quality`, `value`, `run` always do). */
export const REPORT_SECTION_IDS = ['overview', 'data-quality', 'value', 'model', 'churn', 'segments', 'clusters', 'lifecycle', 'cohorts', 'events', 'cross-sell', 'campaigns', 'privacy', 'run'] as const;

export type ReportSectionId = (typeof REPORT_SECTION_IDS)[number];
