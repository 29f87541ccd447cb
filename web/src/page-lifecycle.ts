/**
 * Work a page leaves running (an EventSource, a timer) is stopped when the
 * person moves to another page: pages register it with `onPageLeave`, the
 * router calls `leavePage` before it renders the next page.
 */
const leaving = new Set<() => void>();

/** Runs `stop` when the current page is left (once). */
export function onPageLeave(stop: () => void): void {
  leaving.add(stop);
}

/** Stops everything the page being left registered. */
export function leavePage(): void {
  const stops = [...leaving];
  leaving.clear();
  for (const stop of stops) {
    try {
      stop();
    } catch {
      // a stop that fails must not keep the next page from rendering
    }
  }
}
