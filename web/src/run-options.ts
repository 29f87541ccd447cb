/**
 * The settings the runs page offers for a new analysis, without the DOM: the
 * fields of `POST /api/runs` that a run's warnings and hints name
 * (core/run-words.ts: `"holdoutDays": 17`, `"regularityCheck": false`,
 * `"learnedTournament": true`, `"grain": "order"`, `asOf`, `"model": …`) and
 * the value settings (horizon, discount rate, margin). Each control is labelled
 * with its field's name, so a warning's words find it; a control left at its
 * default is not sent, so the server's defaults apply. The fields, their
 * types, choices and limits are checked against `/openapi.json` by
 * test/dashboard/run-options.test.ts.
 */
import type { RunSetting } from '../../src/core/run-words.js';
import type { RunRequest } from '../../src/server/runs/run-jobs.js';

/** A body field of `POST /api/runs` the page sets. */
export type RunOptionName = RunSetting | 'horizonMonths' | 'discountRatePerYear' | 'margin';

interface OptionBase {
  readonly name: RunOptionName;
  /** the control's label (the field's name is shown beside it) */
  readonly label: string;
  /** what the field does and its default, under the control */
  readonly help: string;
}

/** A choice among fixed values; the first option, "default", sends nothing. */
export interface ChoiceOption extends OptionBase {
  readonly kind: 'choice';
  readonly choices: readonly { readonly value: string; readonly label: string }[];
}

/** A number (or a whole number) in a range; empty sends nothing. Inclusive limits only: an excluded one is the server's to refuse. */
export interface NumberOption extends OptionBase {
  readonly kind: 'number' | 'integer';
  readonly min?: number;
  readonly max?: number;
  /** the input's step ('any' for decimals) */
  readonly step: string;
  readonly placeholder: string;
}

/** A day, YYYY-MM-DD; empty sends nothing. */
export interface DayOption extends OptionBase {
  readonly kind: 'day';
}

/** A switch sent only when ticked, with the value it then sends (the other value is the server's default). */
export interface SwitchOption extends OptionBase {
  readonly kind: 'switch';
  readonly sends: boolean;
}

export type RunOption = ChoiceOption | NumberOption | DayOption | SwitchOption;

/** The settings, in the order the form shows them. */
export const RUN_OPTIONS: readonly RunOption[] = [
  {
    name: 'model',
    kind: 'choice',
    label: 'Value model',
    help: 'Default: the tournament chooses on the holdout.',
    choices: [
      { value: 'bgnbd', label: 'BG/NBD' },
      { value: 'mbgnbd', label: 'MBG/NBD' },
      { value: 'paretonbd', label: 'Pareto/NBD' },
    ],
  },
  { name: 'holdoutDays', kind: 'integer', label: 'Holdout days', help: 'The last days of the data, on which the value model is chosen. Default: a third of the data, 28–365 days.', min: 1, max: 3650, step: '1', placeholder: 'by the data' },
  {
    name: 'grain',
    kind: 'choice',
    label: 'Purchase occasion',
    help: 'Default: a purchase day (several orders on one day count once).',
    choices: [
      { value: 'day', label: 'a day' },
      { value: 'order', label: 'an order' },
    ],
  },
  { name: 'asOf', kind: 'day', label: 'As of', help: 'Analyse the data up to this day. Default: the last purchase.' },
  { name: 'learnedTournament', kind: 'switch', sends: true, label: 'Run the learned tournament', help: 'The honest tournament of the BTYD and learned models; slower.' },
  { name: 'regularityCheck', kind: 'switch', sends: false, label: 'Skip the regularity check', help: 'By default MBG/CNBD-k runs when every customer seems to buy at one steady rate.' },
  { name: 'churnDays', kind: 'integer', label: 'Churn days', help: 'The N of “no purchase in the next N days” of the churn early warning. Default: the holdout length, shortened when the history before it cannot hold it.', min: 14, max: 3650, step: '1', placeholder: 'the holdout' },
  { name: 'horizonMonths', kind: 'integer', label: 'Horizon, months', help: 'Whole months of future value to predict, 1 to 600. Default 12. Another horizon h adds predicted_clv_<h>m beside predicted_clv_12m, which stays 12 months.', min: 1, max: 600, step: '1', placeholder: '12' },
  { name: 'discountRatePerYear', kind: 'number', label: 'Discount rate a year', help: 'Of future value, 0.1 for 10%. Default 0.1.', min: 0, max: 10, step: 'any', placeholder: '0.1' },
  { name: 'margin', kind: 'number', label: 'Margin', help: 'The share of revenue kept, 0.3 for 30%. Default 1 (revenue).', min: 0, max: 1, step: 'any', placeholder: '1' },
];

/** A form's values by field name: a choice's or a field's text, a switch's ticked state. */
export type RunOptionValues = Readonly<Partial<Record<RunOptionName, string | boolean>>>;

/**
 * The body of `POST /api/runs` from the form's values: only what the user set, each as the API takes it (numbers as
 * JSON numbers, a switch as its boolean); empty fields, "default" choices and unticked switches are left out.
 *
 * Example: `runRequestBody({ holdoutDays: '17', grain: '', regularityCheck: true, learnedTournament: false })` → `{ holdoutDays: 17, regularityCheck: false }`
 */
export function runRequestBody(values: RunOptionValues): RunRequest {
  const body: Record<string, string | number | boolean> = {};
  for (const option of RUN_OPTIONS) {
    const value = values[option.name];
    if (option.kind === 'switch') {
      if (value === true) body[option.name] = option.sends;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') continue;
    // a number the browser let through is sent as a number: what it may be is the server's to say
    body[option.name] = option.kind === 'number' || option.kind === 'integer' ? Number(text) : text;
  }
  return body as RunRequest;
}

/**
 * The field a refusal of `POST /api/runs` is about, read from its message (`body field margin must be …`), when it
 * is one the form shows; null otherwise.
 *
 * Example: `refusedField('body field margin must be the share of revenue kept … (got 0)')` → `'margin'`
 */
export function refusedField(message: string): RunOptionName | null {
  const name = /^body field (\w+) /.exec(message)?.[1];
  return RUN_OPTIONS.find((o) => o.name === name)?.name ?? null;
}
