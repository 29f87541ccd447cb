/**
 * How what an analysis says (its warnings, its errors' hints, its model
 * choice's reason) names a setting the user can change, in the words of the
 * front end that started it: the flags of `clvkit analyze`, or the body
 * fields of `POST /api/runs` and the ingest routes (`AnalyzeOptions.api`).
 * A warning that points to a setting asks the run's words for it, so that a
 * dashboard or API user is never told of a flag they cannot pass, nor a CLI
 * user of a field. Every setting here is a flag of `clvkit analyze` and a
 * field of `POST /api/runs` (test/core/run-words.test.ts checks both).
 */

/** The settings a run's words point to, by their `AnalyzeOptions` (and `POST /api/runs`) name. */
export type RunSetting = 'asOf' | 'grain' | 'holdoutDays' | 'model' | 'learnedTournament' | 'regularityCheck' | 'churnDays';

/** The flag of `clvkit analyze` of each setting; a switch that is on by default is given as its `--no-` form. */
export const RUN_SETTING_FLAGS: Readonly<Record<RunSetting, string>> = {
  asOf: '--as-of',
  grain: '--grain',
  holdoutDays: '--holdout-days',
  model: '--model',
  learnedTournament: '--learned-tournament',
  regularityCheck: '--regularity-check',
  churnDays: '--churn-days',
};

export interface RunWords {
  /** the words of the HTTP API */
  readonly api: boolean;
  /** the verb of a hint that gives a setting: `pass` (a flag), `send` (a field) */
  readonly give: 'pass' | 'send';
  /** a setting by name: `--holdout-days` / `holdoutDays` */
  name(setting: RunSetting): string;
  /**
   * a setting with a value, as one gives it: `--grain order` / `"grain": "order"`; a switch by the flag that sets it,
   * `--learned-tournament`, `--no-regularity-check` / `"learnedTournament": true`, `"regularityCheck": false`
   */
  set(setting: RunSetting, value: string | number | boolean): string;
  /**
   * how the purchases get a column of a role (`order_id`, `product_id`), after `what` the file's column is called:
   * `map the order column with --map order_id=<column>` / `send order_id with each order: POST /api/orders`
   */
  supplyColumn(role: string, what: string): string;
  /** how events are given: `--events` / `events sent to POST /api/events` */
  readonly events: string;
}

const CLI_WORDS: RunWords = {
  api: false,
  give: 'pass',
  name: (setting) => RUN_SETTING_FLAGS[setting],
  set: (setting, value) => {
    const flag = RUN_SETTING_FLAGS[setting];
    if (value === true) return flag;
    if (value === false) return `--no-${flag.slice(2)}`;
    return `${flag} ${value}`;
  },
  supplyColumn: (role, what) => `map ${what} with --map ${role}=<column>`,
  events: '--events',
};

const API_WORDS: RunWords = {
  api: true,
  give: 'send',
  name: (setting) => setting,
  set: (setting, value) => `"${setting}": ${JSON.stringify(value)}`,
  supplyColumn: (role) => `send ${role} with each order: POST /api/orders`,
  events: 'events sent to POST /api/events',
};

/**
 * The words of a run: the API's when it was started through the HTTP API (`api` true), the CLI's otherwise.
 *
 * Example: `runWords(true).set('regularityCheck', false)` → `'"regularityCheck": false'`; `runWords(false).set('regularityCheck', false)` → `'--no-regularity-check'`
 */
export function runWords(api: boolean | undefined): RunWords {
  return api === true ? API_WORDS : CLI_WORDS;
}
