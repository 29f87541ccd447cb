/**
 * Runs: the list of analyses (`GET /api/runs`), start one (`POST /api/runs`,
 * role with `analyze`), watch its progress (polling `GET /api/runs/:id`) and
 * cancel it (`DELETE /api/runs/:id`).
 */
import { api } from '../api-client.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageContext, PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

/** A run as the runs API shows it (the fields the page reads). */
interface RunItem {
  readonly id: string;
  readonly status: string;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly actor?: string | null;
  readonly error?: string | null;
  readonly progress?: { readonly stage?: string; readonly step?: string; readonly done?: number; readonly total?: number; readonly message?: string } | null;
}

const ACTIVE = new Set(['queued', 'running', 'pending', 'started']);

function progressText(run: RunItem): string {
  const p = run.progress;
  if (!p) return run.status;
  const step = p.stage ?? p.step ?? '';
  const share = p.total ? ` ${Math.round((100 * (p.done ?? 0)) / p.total)}%` : '';
  return `${run.status}${step ? `: ${step}` : ''}${share}${p.message ? ` (${p.message})` : ''}`;
}

async function runsTable(context: PageContext, status: HTMLElement): Promise<{ table: HTMLElement; active: boolean }> {
  const listed = await api<{ runs: RunItem[] } | RunItem[]>('/api/runs');
  const runs = Array.isArray(listed) ? listed : listed.runs;
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
      h('span', { class: `run-status run-${r.status}` }, progressText(r), r.error ? ` — ${r.error}` : ''),
      r.startedAt ?? '',
      r.finishedAt ?? '',
      r.actor ?? '',
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
