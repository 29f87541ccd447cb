/**
 * Follows a running analysis through its server-sent events
 * (`GET /api/runs/:id/events`, same origin, the session cookie): one
 * `progress` event per stage start and end — the stream first replays the
 * ones so far — then `end` with the run as it finished. When the stream
 * fails (a proxy that buffers, a dropped connection), `onError` is told once
 * and the caller falls back to polling.
 */
import type { ProgressEvent } from '../../src/pipeline/run-stages.js';
import type { RunView } from '../../src/server/runs/run-jobs.js';

export interface RunStreamHandlers {
  /** the stream is open: the progress replayed from here on is the whole progress of the run */
  onOpen(): void;
  onProgress(event: ProgressEvent): void;
  onEnd(run: RunView): void;
  /** the stream failed before `end`; it is closed already */
  onError(): void;
}

/** Messages received through run streams since the page loaded (the browser test reads it from `data-sse-messages`). */
let messages = 0;
export const runStreamMessages = (): number => messages;

/** Opens the stream of run `id`; returns its stop function. Without EventSource support `onError` is called at once. */
export function followRun(id: string, handlers: RunStreamHandlers): () => void {
  if (typeof EventSource === 'undefined') {
    queueMicrotask(() => handlers.onError());
    return () => undefined;
  }
  const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`, { withCredentials: false });
  let closed = false;
  const close = () => {
    closed = true;
    source.close();
  };
  source.addEventListener('open', () => {
    if (!closed) handlers.onOpen();
  });
  source.addEventListener('progress', (event) => {
    if (closed) return;
    messages++;
    handlers.onProgress(JSON.parse((event as MessageEvent<string>).data) as ProgressEvent);
  });
  let ended = false;
  source.addEventListener('end', (event) => {
    if (closed || ended) return;
    messages++;
    ended = true;
    // the server ends the response after `end`: the EventSource then reports an error (it would reconnect) and is closed
    // there; closing it here would abort a response still arriving. Closed anyway if the server keeps it open.
    window.setTimeout(close, 5000);
    handlers.onEnd(JSON.parse((event as MessageEvent<string>).data) as RunView);
  });
  source.addEventListener('error', () => {
    if (closed) return;
    close();
    if (!ended) handlers.onError();
  });
  return close;
}
