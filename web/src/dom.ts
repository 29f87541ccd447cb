/**
 * A tiny element builder: text is always set as text (never parsed as HTML),
 * so data from the API cannot inject markup.
 */

type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined | ((event: Event) => void);

/**
 * Creates an element: `on*` attributes become listeners, `false`/`null`/`undefined` attributes are left out.
 *
 * Example: `h('button', { type: 'button', onclick: go }, 'Start')` → `<button type="button">Start</button>`
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, AttributeValue> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (nested arrays flattened, empty ones skipped). */
export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export interface TableColumn {
  readonly header: string;
  readonly numeric?: boolean;
}

/** A data table with a caption, column headers (`scope="col"`) and, when `rowHeaders`, the first cell of a row as its header. */
export function dataTable(caption: string, columns: readonly TableColumn[], rows: readonly (readonly Child[])[], options: { rowHeaders?: boolean; className?: string } = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: options.className ?? null },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.header)))),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            row.map((cell, i) => (i === 0 && options.rowHeaders ? h('th', { scope: 'row' }, cell) : h('td', { class: columns[i]?.numeric ? 'num' : null }, cell))),
          ),
        ),
      ),
    ),
  );
}

/** KPI tiles. */
export function kpis(items: readonly { label: string; value: string; note?: string }[]): HTMLElement {
  return h('dl', { class: 'kpis' }, items.map((k) => h('div', { class: 'kpi' }, h('dt', {}, k.label), h('dd', {}, h('span', { class: 'kpi-value' }, k.value), k.note ? h('span', { class: 'kpi-note' }, k.note) : null))));
}

/** A page section with a heading. */
export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** A short message in a box (`role="status"` for information, `role="alert"` for errors and warnings: something to act on). */
export function notice(text: string, tone: 'info' | 'warning' | 'error' = 'info'): HTMLElement {
  return h('p', { class: `notice notice-${tone}`, role: tone === 'info' ? 'status' : 'alert' }, text);
}
