/**
 * Runs: the list of analyses (`GET /api/runs`), start one (`POST /api/runs`,
 * role with `analyze`), watch its progress (polling `GET /api/runs/:id`) and
 * cancel it (`DELETE /api/runs/:id`).
 */
import type { RunView } from '../../../src/server/runs/run-jobs.js';
import { api } from '../api-client.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageContext, PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

type RunItem = RunView;

const ACTIVE = new Set(['running']);

/** `running: value (3 stages done)` from the run's stage start/end events. */
export function progressText(run: RunItem): string {
  if (run.status !== 'running') return run.status;
  const done = run.progress.filter((p) => p.phase === 'end').length;
  const current = [...run.progress].reverse().find((p) => p.phase === 'start' && !run.progress.some((q) => q.phase === 'end' && q.step === p.step));
  return `running${current ? `: ${current.step}${current.detail ? ` (${current.detail})` : ''}` : ''}, ${done} stage${done === 1 ? '' : 's'} done`;
}

async function runsTable(context: PageContext, status: HTMLElement): Promise<{ table: HTMLElement; active: boolean }> {
  const { runs } = await api<{ runs: RunItem[] }>('/api/runs');
  const active = runs.some((r) => ACTIVE.has(r.status));
  if (runs.length === 0) return { table: notice('No run yet.'), active };
  const cancel = (run: RunItem) =>
    h('button', { type: 'button', class: 'danger', onclick: async () => {
      try {
        await api(`/api/runs/${encodeURIComponent(run.id)}`, { method: 'DELETE' });
        status.replaceChildren(notice(`Cancelling run ${run.id}.`));
      } catch (error) {
        status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
      }
    } }, 'Cancel', h('span', { class: 'visually-hidden' }, ` run ${run.id}`));
  const table = dataTable(
    'Analyses, newest first',
    [{ header: 'run' }, { header: 'status' }, { header: 'started' }, { header: 'finished' }, { header: 'by' }, ...(context.can('analyze') ? [{ header: 'actions' }] : [])],
    runs.map((r) => [
      r.id,
      h('span', { class: `run-status run-${r.status}` }, progressText(r), r.error && r.status === 'failed' ? ` — ${r.error}` : ''),
      r.startedAt,
      r.finishedAt ?? '',
      r.startedBy,
      ...(context.can('analyze') ? [ACTIVE.has(r.status) ? cancel(r) : ''] : []),
    ]),
    { rowHeaders: true },
  );
  return { table, active };
}

export const runsPage: PageDefinition = {
  ...pageEntry('runs'),
  async render(context) {
    const status = h('div', { 'aria-live': 'polite' });
    const holder = h('div', {});
    let timer: number | undefined;
    const refresh = async () => {
      window.clearTimeout(timer);
      if (!holder.isConnected && timer !== undefined) return; // the page was left
      try {
        const { table, active } = await runsTable(context, status);
        holder.replaceChildren(table);
        if (active) timer = window.setTimeout(() => void refresh(), 1000);
      } catch (error) {
        holder.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
      }
    };
    const parts: HTMLElement[] = [];
    if (context.can('analyze')) {
      const start = h('button', { type: 'button', onclick: async () => {
        start.disabled = true;
        try {
          const run = await api<RunItem>('/api/runs', { method: 'POST', body: {} });
          status.replaceChildren(notice(`Started run ${run.id}.`));
          await refresh();
        } catch (error) {
          status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
        } finally {
          start.disabled = false;
        }
      } }, 'Start an analysis');
      parts.push(section('Analyse the warehouse', h('p', {}, 'Runs the whole pipeline on the served warehouse (value models, segments, lifecycle, cross-sell); the pages show the newest finished run.'), start, status));
    } else {
      parts.push(status);
    }
    await refresh();
    parts.push(section('Runs', holder));
    return parts;
  },
};
