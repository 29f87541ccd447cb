/**
 * Runs: the list of analyses (`GET /api/runs`), start one (`POST /api/runs`,
 * role with `analyze`) with the settings a run's warnings name (run-options.ts;
 * only those set are sent, a refusal shows the API's message and hint), watch its progress stage by stage through the run's
 * server-sent events (`GET /api/runs/:id/events`; polling `GET /api/runs`
 * every second when the stream fails) and cancel it (`DELETE /api/runs/:id`).
 */
import type { ProgressEvent } from '../../../src/pipeline/run-stages.js';
import type { RunRequest, RunView } from '../../../src/server/runs/run-jobs.js';
import { api, ApiError } from '../api-client.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageContext, PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { onPageLeave } from '../page-lifecycle.js';
import { followRun, runStreamMessages } from '../run-stream.js';
import { refusedField, RUN_OPTIONS, runRequestBody, type RunOption, type RunOptionValues } from '../run-options.js';

type RunItem = RunView;

const ACTIVE = new Set(['running']);

/** `running: value (3 stages done)` from the run's stage start/end events. */
export function progressText(run: RunItem): string {
  if (run.status !== 'running') return run.status;
  const done = run.progress.filter((p) => p.phase === 'end').length;
  const current = [...run.progress].reverse().find((p) => p.phase === 'start' && !run.progress.some((q) => q.phase === 'end' && q.step === p.step));
  return `running${current ? `: ${current.step}${current.detail ? ` (${current.detail})` : ''}` : ''}, ${done} stage${done === 1 ? '' : 's'} done`;
}

/** The stages of a run in order: done (with its wall time), running, or not finished (a run that stopped). */
function stageList(progress: readonly ProgressEvent[], running: boolean): HTMLElement | null {
  const steps: { step: string; done: boolean; ms?: number }[] = [];
  for (const p of progress) {
    const known = steps.find((s) => s.step === p.step);
    if (p.phase === 'start' && !known) steps.push({ step: p.step, done: false });
    if (p.phase === 'end') {
      if (known) Object.assign(known, { done: true, ms: p.elapsedMs });
      else steps.push({ step: p.step, done: true, ...(p.elapsedMs !== undefined ? { ms: p.elapsedMs } : {}) });
    }
  }
  if (steps.length === 0) return null;
  return h(
    'ol',
    { class: 'run-stages' },
    steps.map((s) => h('li', { class: s.done ? 'stage-done' : running ? 'stage-running' : 'stage-stopped' }, s.step, s.done ? ` done${s.ms !== undefined ? ` in ${(s.ms / 1000).toFixed(1)} s` : ''}` : running ? ' running' : ' not finished')),
  );
}

/** The control of one setting: a select, a number or date field, or a checkbox, with its label (naming the API's field) and help. */
function optionControl(option: RunOption): { field: HTMLElement; control: HTMLInputElement | HTMLSelectElement } {
  const id = `run-option-${option.name}`;
  const help = h('span', { id: `${id}-help`, class: 'help' }, option.help);
  const name = h('code', {}, option.name);
  if (option.kind === 'switch') {
    const control = h('input', { id, name: option.name, type: 'checkbox', 'aria-describedby': help.id });
    return { field: h('div', { class: 'field' }, h('div', { class: 'check-row' }, control, h('label', { for: id }, `${option.label} `, h('span', { class: 'help' }, '(', name, `: ${String(option.sends)})`))), help), control };
  }
  const control =
    option.kind === 'choice'
      ? h('select', { id, name: option.name, 'aria-describedby': help.id }, h('option', { value: '' }, 'default'), option.choices.map((c) => h('option', { value: c.value }, `${c.label} (${c.value})`)))
      : option.kind === 'day'
        ? h('input', { id, name: option.name, type: 'date', 'aria-describedby': help.id })
        : h('input', { id, name: option.name, type: 'number', inputmode: option.kind === 'integer' ? 'numeric' : 'decimal', min: option.min, max: option.max, step: option.step, placeholder: option.placeholder, 'aria-describedby': help.id });
  return { field: h('div', { class: 'field' }, h('label', { for: id }, `${option.label} `, h('span', { class: 'help' }, '(', name, ')')), control, help), control };
}

/**
 * The settings of a new run (run-options.ts) and its start button: sends only what is set, shows the request body it
 * will send, and on a refusal shows the API's message and hint and marks the field it names.
 */
function runOptionsForm(start: (body: RunRequest) => Promise<void>, status: HTMLElement): HTMLElement {
  const controls = RUN_OPTIONS.map((option) => ({ option, ...optionControl(option) }));
  const values = () => Object.fromEntries(controls.map(({ option, control }) => [option.name, control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value])) as RunOptionValues;
  const sent = h('output', { class: 'help run-body', 'aria-live': 'polite' });
  const showBody = () => {
    const body = runRequestBody(values());
    sent.textContent = Object.keys(body).length === 0 ? 'Sends {}: every setting at its default.' : `Sends ${JSON.stringify(body)} to POST /api/runs.`;
  };
  const clearRefusal = () => {
    for (const { control } of controls) control.removeAttribute('aria-invalid');
  };
  const settings = h('details', { class: 'run-options' }, h('summary', {}, 'Settings of the run (optional: what you leave empty keeps its default)'), h('div', { class: 'filters' }, controls.map((c) => c.field)));
  const button = h('button', { type: 'submit' }, 'Start an analysis');
  const form = h('form', { class: 'run-form', 'aria-label': 'Start an analysis' }, settings, h('div', { class: 'actions' }, button, sent));
  form.addEventListener('input', () => {
    clearRefusal();
    showBody();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearRefusal();
    button.disabled = true;
    try {
      await start(runRequestBody(values()));
    } catch (error) {
      status.replaceChildren(refusalNotice(error));
      // the field the API refused: marked, shown and focused
      const field = error instanceof ApiError ? refusedField(error.problem) : null;
      const refused = controls.find((c) => c.option.name === field);
      if (refused) {
        settings.open = true;
        refused.control.setAttribute('aria-invalid', 'true');
        refused.control.focus();
      }
    } finally {
      button.disabled = false;
    }
  });
  showBody();
  return form;
}

/** A refused request as the API says it: what is wrong, and apart, what to do (`{ error, message, hint }`). */
function refusalNotice(error: unknown): HTMLElement {
  if (!(error instanceof ApiError)) return notice(error instanceof Error ? error.message : String(error), 'error');
  return h('div', { class: 'notice notice-error refusal', role: 'alert', 'data-error': error.code }, h('p', { class: 'refusal-message' }, error.problem), error.hint ? h('p', { class: 'refusal-hint' }, 'What to do: ', error.hint) : null);
}

/** `Run 2026… cancelled.`: a run the page followed has ended. */
function endNotice(run: RunItem): HTMLElement {
  return notice(`Run ${run.id} ${run.status}${run.error && run.status === 'failed' ? `: ${run.error}${run.hint ? ` — ${run.hint}` : ''}` : ''}.`, run.status === 'failed' ? 'error' : 'info');
}

export const runsPage: PageDefinition = {
  ...pageEntry('runs'),
  async render(context) {
    const status = h('div', { 'aria-live': 'polite' });
    // data-live: how progress arrives (sse, polling or idle); data-sse-messages: stream messages received
    const holder = h('div', { class: 'runs-holder', 'data-live': 'idle', 'data-sse-messages': String(runStreamMessages()) });
    const cells = new Map<string, HTMLElement>();
    let runs: RunItem[] = [];
    let timer: number | undefined;
    let polling = false;
    /** the running run the page polls for (polling only) */
    let polled: string | null = null;
    let followed: { id: string; stop: () => void } | null = null;
    let left = false;
    onPageLeave(() => {
      left = true;
      window.clearTimeout(timer);
      followed?.stop();
      followed = null;
    });

    const setLive = (mode: 'sse' | 'polling' | 'idle') => holder.setAttribute('data-live', mode);
    const cancelButton = (run: RunItem) =>
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        try {
          await api(`/api/runs/${encodeURIComponent(run.id)}`, { method: 'DELETE' });
          status.replaceChildren(notice(`Cancelling run ${run.id}: it stops at the end of the current stage.`));
        } catch (error) {
          status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
        }
      } }, 'Cancel', h('span', { class: 'visually-hidden' }, ` run ${run.id}`));
    /** The status cell of a run: status text, error, stages. */
    const fillStatus = (cell: HTMLElement, run: RunItem) =>
      cell.replaceChildren(h('span', { class: `run-status run-${run.status}` }, progressText(run), run.error && run.status === 'failed' ? ` — ${run.error}${run.hint ? ` (${run.hint})` : ''}` : ''), stageList(run.progress, run.status === 'running') ?? '');
    const draw = () => {
      cells.clear();
      if (runs.length === 0) return holder.replaceChildren(notice('No run yet.'));
      const analyst = context.can('analyze');
      holder.replaceChildren(
        dataTable(
          'Analyses, newest first',
          [{ header: 'run' }, { header: 'status and stages' }, { header: 'started' }, { header: 'finished' }, { header: 'by' }, ...(analyst ? [{ header: 'actions' }] : [])],
          runs.map((r) => {
            const cell = h('div', { class: 'run-cell' });
            fillStatus(cell, r);
            cells.set(r.id, cell);
            return [r.id, cell, r.startedAt, r.finishedAt ?? '', r.startedBy, ...(analyst ? [ACTIVE.has(r.status) ? cancelButton(r) : ''] : [])];
          }),
          { rowHeaders: true },
        ),
      );
    };
    /** One run changed (a stream message): its status cell only, so focus on a button stays put. */
    const update = (run: RunItem) => {
      runs = runs.map((r) => (r.id === run.id ? run : r));
      const cell = cells.get(run.id);
      if (cell) fillStatus(cell, run);
      holder.setAttribute('data-sse-messages', String(runStreamMessages()));
    };

    const follow = (id: string) => {
      setLive('sse');
      const stop = followRun(id, {
        onOpen: () => {
          // the stream replays the whole progress: start from none
          const run = runs.find((r) => r.id === id);
          if (run) update({ ...run, progress: [] });
        },
        onProgress: (event) => {
          const run = runs.find((r) => r.id === id);
          if (run) update({ ...run, progress: [...run.progress, event] });
        },
        onEnd: (run) => {
          followed = null;
          update(run);
          status.replaceChildren(endNotice(run));
          setLive('idle');
          void refresh();
        },
        onError: () => {
          followed = null;
          if (left) return;
          polling = true;
          status.replaceChildren(notice('Live progress is not available: the page checks every second instead.'));
          void refresh();
        },
      });
      followed = { id, stop };
    };

    async function refresh(): Promise<void> {
      window.clearTimeout(timer);
      if (left) return;
      try {
        runs = (await api<{ runs: RunItem[] }>('/api/runs')).runs;
        if (left) return;
        draw();
        const active = runs.find((r) => ACTIVE.has(r.status));
        // polling: the end of the run it watched is announced as the stream's end is
        const watched = polled !== null && polled !== active?.id ? runs.find((r) => r.id === polled) : undefined;
        if (watched) status.replaceChildren(endNotice(watched));
        polled = polling ? (active?.id ?? null) : null;
        if (!active) {
          followed?.stop();
          followed = null;
          setLive('idle');
        } else if (polling) {
          setLive('polling');
          timer = window.setTimeout(() => void refresh(), 1000);
        } else if (followed?.id !== active.id) {
          followed?.stop();
          follow(active.id);
        }
      } catch (error) {
        holder.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
      }
    }

    const parts: HTMLElement[] = [];
    if (context.can('analyze')) {
      const form = runOptionsForm(async (body) => {
        const run = await api<RunItem>('/api/runs', { method: 'POST', body });
        status.replaceChildren(notice(`Started run ${run.id}${Object.keys(body).length > 0 ? ` with ${JSON.stringify(body)}` : ''}.`));
        await refresh();
      }, status);
      parts.push(section('Analyse the warehouse', h('p', {}, 'Runs the whole pipeline on the served warehouse (value models, segments, lifecycle, cross-sell); the pages show the newest finished run. Progress arrives stage by stage as it happens.'), form, status));
    } else {
      parts.push(status);
    }
    await refresh();
    parts.push(section('Runs', holder));
    return parts;
  },
};
