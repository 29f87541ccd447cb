/**
 * The dashboard: log in, then one page per route (`#/value`, `#/customers/c_…`).
 * Pages the role may not use are left out of the navigation and answer
 * "not permitted" when opened by their address.
 */
import { api, ApiError, onUnauthorised, setCsrfToken, type Me } from './api-client.js';
import { disposeCharts } from './chart-figure.js';
import { h, notice, replaceChildren } from './dom.js';
import { loginView } from './login-view.js';
import { leavePage } from './page-lifecycle.js';
import type { PageContext } from './page.js';
import { PAGES } from './pages.js';
import { pageAllowed } from './page-catalogue.js';
import { can } from '../../src/privacy/access/rbac.js';

const app = document.getElementById('app')!;
let me: Me | null = null;
let renderToken = 0;
/** Focus moves to the content on navigation, not on the first page load (the skip link comes first then). */
let navigated = false;

function currentRoute(): { id: string; rest: string[]; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?', 2) as [string, string | undefined];
  const [id, ...rest] = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  return { id: id ?? 'overview', rest, params: new URLSearchParams(query ?? '') };
}

function navigate(route: string): void {
  location.hash = `#${route.startsWith('/') ? route : `/${route}`}`;
}

async function logout(): Promise<void> {
  try {
    await api('/api/logout', { method: 'POST', body: {} });
  } catch {
    // the session may already be gone
  }
  me = null;
  setCsrfToken(null);
  showLogin('You are logged out.');
}

function showLogin(message?: string): void {
  leavePage();
  disposeCharts();
  replaceChildren(
    app,
    loginView(async (user) => {
      me = user;
      setCsrfToken(user.csrfToken);
      if (!location.hash || location.hash === '#/' ) navigate('/overview');
      await renderPage();
    }, message),
  );
  document.title = 'Log in · clvkit';
}

function shell(user: Me, activeId: string): { main: HTMLElement; root: HTMLElement } {
  const visible = PAGES.filter((p) => pageAllowed(p, user.role));
  const main = h('main', { id: 'main', tabindex: '-1', class: 'main' });
  const root = h(
    'div',
    { class: 'layout' },
    h(
      'header',
      { class: 'topbar' },
      h('a', { class: 'brand', href: '#/overview' }, 'clvkit'),
      h('span', { class: 'whoami' }, h('span', { class: 'visually-hidden' }, 'Logged in as '), user.name, ' ', h('span', { class: `role role-${user.role}` }, user.role)),
      h('button', { type: 'button', class: 'secondary', onclick: () => void logout() }, 'Log out'),
    ),
    h(
      'nav',
      { class: 'sidenav', 'aria-label': 'Dashboard pages' },
      h('ul', {}, visible.map((p) => h('li', {}, h('a', { href: `#/${p.id}`, 'aria-current': p.id === activeId ? 'page' : null }, p.title)))),
    ),
    main,
  );
  return { main, root };
}

async function renderPage(): Promise<void> {
  if (!me) return;
  const token = ++renderToken;
  leavePage();
  disposeCharts();
  const route = currentRoute();
  const page = PAGES.find((p) => p.id === route.id);
  const { main, root } = shell(me, page?.id ?? '');
  replaceChildren(app, root);
  if (!page) {
    document.title = 'Not found · clvkit';
    replaceChildren(main, h('h1', {}, 'Page not found'), notice(`There is no page “${route.id}”.`), h('p', {}, h('a', { href: '#/overview' }, 'Go to the overview')));
    return;
  }
  document.title = `${page.title} · clvkit`;
  const user = me;
  if (!pageAllowed(page, user.role)) {
    replaceChildren(main, h('h1', {}, page.title), notice(`Not permitted: the role ${user.role} may not use this page (it needs ${page.actions.join(' or ')}).`, 'error'));
    return;
  }
  replaceChildren(main, h('h1', {}, page.title), h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  const context: PageContext = { me: user, rest: route.rest, params: route.params, navigate, can: (action) => can(user.role, action) };
  try {
    const content = await page.render(context);
    if (token !== renderToken) return;
    replaceChildren(main, h('h1', {}, page.title), content);
  } catch (error) {
    if (token !== renderToken) return;
    replaceChildren(main, h('h1', {}, page.title), errorNotice(error));
  }
  if (navigated) main.focus({ preventScroll: true });
}

/** A page's error as the person should read it. */
export function errorNotice(error: unknown): HTMLElement {
  if (error instanceof ApiError) {
    if (error.code === 'no_run') return notice('No analysis has finished yet. Start one on the Runs page (analysts and admins), then come back.');
    if (error.status === 403) return notice(`Not permitted: ${error.message}`, 'error');
    return notice(`${error.message} (${error.status})`, 'error');
  }
  return notice(error instanceof Error ? error.message : String(error), 'error');
}

async function start(): Promise<void> {
  // the skip link moves focus to the content without touching the route (the hash holds the page)
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  });
  onUnauthorised(() => {
    if (me) {
      me = null;
      showLogin('Your session has ended: log in again.');
    }
  });
  window.addEventListener('hashchange', () => {
    navigated = true;
    void renderPage();
  });
  try {
    me = await api<Me>('/api/me', { quiet401: true });
    setCsrfToken(me.csrfToken);
    await renderPage();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showLogin();
    else replaceChildren(app, errorNotice(error));
  }
}

void start();
