/**
 * Audiences: a builder (stage, segment, tier and value pickers that write a
 * `--where` expression, or the expression typed by hand) with a live count
 * (`POST /api/audiences/count`), the control-group fraction and seed, create
 * (`POST /api/audiences`: what was drawn, the balance of the draw and its
 * notes, `drawNotes`), the list, export (CSV/JSON) and delete; the playbook,
 * run with a seed (`POST /api/playbook/run`: the plan with each draw's balance
 * and the run's notes, `playBalance`, `planNotes`).
 */
import type { AudienceForRole } from '../../../src/actions/audience-store.js';
import type { Playbook } from '../../../src/actions/playbook.js';
import type { AudienceCreated, PlaybookRun } from '../../../src/server/routes/action-answers.js';
import { describeSuppression } from '../../../src/actions/suppression-condition.js';
import { CUSTOMER_STAGES, CUSTOMER_TIERS } from '../../../src/server/routes/read-api-types.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { api, ApiError, download } from '../api-client.js';
import { dataTable, h, notice, section } from '../dom.js';
import { drawNotes, planNotes, playBalance, type PageNote } from '../draw-notes.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

/** A line of `drawNotes` / `planNotes`: a warning (a draw beyond chance) stands out. */
const noteElement = (note: PageNote) => notice(note.text, note.warning ? 'warning' : 'info');

/** as GET /api/audiences answers it: a size left below the k-floor is null for a viewer */
type AudienceItem = AudienceForRole;

/** A size left, or 'below k' where the server hid it (1 to k − 1 customers, for a role that reads aggregates only). */
const sizeLeft = (n: number | null): string => (n === null ? 'below k' : formatCount(n));

/** `POST /api/audiences/count`: null below the k-floor. */
interface AudienceCount {
  readonly count: number | null;
  readonly belowMinGroupSize: boolean;
  readonly minGroupSize: number;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The `--where` expression of the pickers, e.g. `stage IN ('at_risk') AND predicted_clv_12m >= 50`. */
export function pickerExpression(stages: readonly string[], tiers: readonly string[], minPredicted: string): string {
  const parts: string[] = [];
  if (stages.length > 0) parts.push(`stage IN (${stages.map(quote).join(', ')})`);
  if (tiers.length > 0) parts.push(`value_tier IN (${tiers.map(quote).join(', ')})`);
  const min = Number(minPredicted);
  if (minPredicted.trim() !== '' && Number.isFinite(min)) parts.push(`predicted_clv_12m >= ${min}`);
  return parts.join(' AND ');
}

function checkboxes(name: string, legend: string, values: readonly string[], onChange: () => void): HTMLElement {
  return h(
    'fieldset',
    { class: 'checks' },
    h('legend', {}, legend),
    values.map((v) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value: v, onchange: onChange }), ` ${v}`)),
  );
}

function builder(refresh: () => void): HTMLElement {
  const where = h('textarea', { id: 'aud-where', name: 'where', rows: 3, spellcheck: 'false', 'aria-describedby': 'aud-where-help' });
  const count = h('output', { id: 'aud-count', for: 'aud-where', 'aria-live': 'polite', class: 'live-count' }, 'Choose customers to see how many match.');
  const status = h('div', { 'aria-live': 'polite' });
  let timer: number | undefined;
  let latest = 0;
  const recount = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const expression = where.value.trim();
      if (!expression) {
        count.textContent = 'Choose customers to see how many match.';
        return;
      }
      const mine = ++latest;
      try {
        const result = await api<AudienceCount>('/api/audiences/count', { method: 'POST', body: { where: expression } });
        if (mine !== latest) return;
        count.textContent = result.count === null ? `Fewer than ${result.minGroupSize} customers match: too few for an audience.` : `${formatCount(result.count)} customers match.`;
      } catch (error) {
        if (mine === latest) count.textContent = error instanceof ApiError ? `Cannot count: ${error.message}` : String(error);
      }
    }, 300);
  };
  const form = h('form', { class: 'builder', 'aria-labelledby': 's-build-an-audience' });
  const fromPickers = () => {
    const picked = (name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
    where.value = pickerExpression(picked('stage'), picked('tier'), (form.querySelector<HTMLInputElement>('#aud-min-value')?.value ?? ''));
    recount();
  };
  where.addEventListener('input', recount);
  const name = h('input', { id: 'aud-name', name: 'name', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,79}', 'aria-describedby': 'aud-name-help', autocomplete: 'off' });
  const holdout = h('input', { id: 'aud-holdout', name: 'holdout', type: 'number', min: '0.01', max: '0.9', step: '0.01', value: '0.1', required: true });
  const seed = h('input', { id: 'aud-seed', name: 'seed', type: 'number', min: '0', step: '1', value: '1', required: true });
  form.append(
    checkboxes('stage', 'Lifecycle stage', CUSTOMER_STAGES, fromPickers),
    checkboxes('tier', 'Value tier', CUSTOMER_TIERS, fromPickers),
    h('div', { class: 'field' }, h('label', { for: 'aud-min-value' }, 'Predicted value at least'), h('input', { id: 'aud-min-value', type: 'number', min: '0', step: 'any', oninput: fromPickers })),
    h('div', { class: 'field wide' }, h('label', { for: 'aud-where' }, 'Filter expression'), where, h('p', { id: 'aud-where-help', class: 'help' }, "Written by the pickers, or type one: e.g. stage IN ('at_risk','dormant') AND predicted_clv_12m > 50 (the columns are in docs/actions.md).")),
    count,
    h('div', { class: 'field' }, h('label', { for: 'aud-name' }, 'Audience name'), name, h('p', { id: 'aud-name-help', class: 'help' }, 'Letters, digits, _ . and -, starting with a letter or digit.')),
    h('div', { class: 'field' }, h('label', { for: 'aud-holdout' }, 'Control group (share held out)'), holdout),
    h('div', { class: 'field' }, h('label', { for: 'aud-seed' }, 'Seed of the control-group draw'), seed),
    h('button', { type: 'submit' }, 'Create audience'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!where.value.trim()) {
      status.replaceChildren(notice('Choose customers first (a picker or an expression).', 'error'));
      return;
    }
    try {
      const created = await api<AudienceCreated>('/api/audiences', { method: 'POST', body: { name: name.value.trim(), where: where.value.trim(), holdout: Number(holdout.value), seed: Number(seed.value) } });
      // what was drawn, the balance of the draw (a warning when beyond chance: redraw with another seed) and its notes
      status.replaceChildren(...drawNotes(created).map(noteElement));
      refresh();
    } catch (error) {
      status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
    }
  });
  return form;
}

async function audienceList(refresh: () => void): Promise<HTMLElement> {
  const { audiences } = await api<{ audiences: AudienceItem[] }>('/api/audiences');
  if (audiences.length === 0) return notice('No audience yet.');
  const status = h('div', { 'aria-live': 'polite' });
  const exportButton = (a: AudienceItem, format: 'csv' | 'json') =>
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try {
        await download(`/api/audiences/${encodeURIComponent(a.name)}/export?format=${format}`, `${a.name}.${format}`);
        status.replaceChildren(notice(`Exported ${a.name} as ${format.toUpperCase()} (recorded in the audit log).`));
      } catch (error) {
        status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
      }
    } }, `Export ${format.toUpperCase()}`, h('span', { class: 'visually-hidden' }, ` of ${a.name}`));
  const deleteButton = (a: AudienceItem) =>
    h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!window.confirm(`Delete the audience ${a.name} and its members? Campaign evaluations already made are kept.`)) return;
      try {
        await api(`/api/audiences/${encodeURIComponent(a.name)}`, { method: 'DELETE' });
        refresh();
      } catch (error) {
        status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
      }
    } }, 'Delete', h('span', { class: 'visually-hidden' }, ` ${a.name}`));
  return h(
    'div',
    {},
    dataTable(
      'Audiences',
      [{ header: 'audience' }, { header: 'filter' }, { header: 'members', numeric: true }, { header: 'control', numeric: true }, { header: 'send date' }, { header: 'actions' }],
      audiences.map((a) => [
        a.name,
        a.play ? `${a.where} (play ${a.play})` : a.where,
        sizeLeft(a.members),
        `${sizeLeft(a.control)} (${formatPercent(a.holdout, 0)})`,
        a.sendDate,
        h('span', { class: 'actions' }, exportButton(a, 'csv'), exportButton(a, 'json'), h('a', { href: `#/campaigns?audience=${encodeURIComponent(a.name)}` }, 'Results'), deleteButton(a)),
      ]),
      { rowHeaders: true },
    ),
    status,
  );
}

/** The balance cell of a play: its balance in the CLI's words, set apart when beyond chance; '–' for a skipped play. */
function balanceCell(play: PlaybookRun['plays'][number]): HTMLElement | string {
  const balance = playBalance(play);
  if (!balance) return '–';
  return balance.warning ? h('strong', { class: 'cell-warning' }, balance.text) : balance.text;
}

/** The plan of a playbook run: one audience with a control group per play, the balance of each draw, the run's notes. */
function planTable(plan: PlaybookRun): HTMLElement {
  return h(
    'div',
    {},
    dataTable(
      `Plan: ${formatCount(plan.totals.treatment)} customers to contact from ${plan.sendDate}, expected cost ${formatMoney(plan.totals.expectedCost)}, expected incremental value ${formatMoney(plan.totals.expectedIncrementalValue)}`,
      [{ header: 'play' }, { header: 'audience' }, { header: 'eligible', numeric: true }, { header: 'suppressed' }, { header: 'treatment / control', numeric: true }, { header: 'expected cost', numeric: true }, { header: 'lift' }, { header: 'expected ROI', numeric: true }, { header: 'balance' }, { header: 'note' }],
      plan.plays.map((p) => [p.play, p.audience ?? '–', formatCount(p.eligible), describeSuppression(p.suppressed) || '–', `${formatCount(p.treatment)} / ${formatCount(p.control)}`, formatMoney(p.expectedCost), `${formatPercent(p.lift, 0)} (${p.liftSource})`, p.expectedRoi === null ? '–' : formatNumber(p.expectedRoi, 2), balanceCell(p), [p.skipped, ...p.notes].filter(Boolean).join('; ')]),
      { rowHeaders: true },
    ),
    ...planNotes(plan).map(noteElement),
    h('p', { class: 'help' }, plan.valueBasis),
  );
}

async function playbookSection(refresh: () => void): Promise<HTMLElement> {
  const playbook = await api<Playbook>('/api/playbook');
  const status = h('div', { 'aria-live': 'polite' });
  // another seed redraws the control groups (after this run's audiences are deleted: their names are taken)
  const seed = h('input', { id: 'pb-seed', name: 'seed', type: 'number', min: '0', step: '1', value: '1', required: true });
  const run = h('button', { type: 'button', onclick: async () => {
    if (!window.confirm(`Run the playbook: draw one audience with a control group for each of its ${playbook.plays.length} plays?`)) return;
    run.disabled = true;
    status.replaceChildren(h('p', { role: 'status' }, 'Drawing the audiences…'));
    try {
      const plan = await api<PlaybookRun>('/api/playbook/run', { method: 'POST', body: { seed: Number(seed.value) } });
      status.replaceChildren(planTable(plan));
      refresh();
    } catch (error) {
      status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
    } finally {
      run.disabled = false;
    }
  } }, 'Run the playbook');
  return section(
    'Playbook',
    h('p', {}, playbook.description),
    dataTable(
      `Plays (${playbook.source.split(/[\\/]/).pop()})`,
      [{ header: 'play' }, { header: 'who' }, { header: 'offer' }, { header: 'channel' }, { header: 'cost per contact', numeric: true }, { header: 'assumed lift', numeric: true }, { header: 'control group', numeric: true }],
      playbook.plays.map((p) => [p.name, p.where, p.offer ?? '', p.channel ?? '', formatMoney(p.costPerContact), formatPercent(p.expectedLift, 0), formatPercent(p.holdout, 0)]),
      { rowHeaders: true },
    ),
    h('div', { class: 'field' }, h('label', { for: 'pb-seed' }, "Seed of the plays' control-group draws"), seed),
    run,
    status,
  );
}

export const audiencesPage: PageDefinition = {
  ...pageEntry('audiences'),
  async render() {
    const list = h('div', {}, h('p', { role: 'status' }, 'Loading audiences…'));
    const refresh = () => {
      audienceList(refresh)
        .then((el) => list.replaceChildren(el))
        .catch((error) => list.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error')));
    };
    const listElement = await audienceList(refresh);
    list.replaceChildren(listElement);
    return [section('Build an audience', builder(refresh)), section('Audiences', list), await playbookSection(refresh)];
  },
};
