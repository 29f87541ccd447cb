/** The login form: `POST /api/login` with `{ username, password }`, then `GET /api/me` for the role and CSRF token. */
import { api, ApiError, type Me } from './api-client.js';
import { h, notice } from './dom.js';

export function loginView(onLogin: (me: Me) => Promise<void>, message?: string): HTMLElement {
  const status = h('div', { class: 'login-status', 'aria-live': 'polite' }, message ? notice(message) : null);
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h(
    'form',
    { class: 'login-form', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Log in to clvkit'),
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'User name'), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    submit,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.replaceChildren(h('p', { role: 'status' }, 'Logging in…'));
    try {
      await api('/api/login', { method: 'POST', body: { username: username.value, password: password.value }, quiet401: true });
      const me = await api<Me>('/api/me', { quiet401: true });
      await onLogin(me);
    } catch (error) {
      const text = error instanceof ApiError && error.status === 401 ? 'Wrong user name or password.' : error instanceof ApiError && error.status === 429 ? `Too many attempts: ${error.message}` : error instanceof Error ? error.message : String(error);
      status.replaceChildren(notice(text, 'error'));
      password.value = '';
      password.focus();
      submit.disabled = false;
    }
  });
  queueMicrotask(() => username.focus());
  return h('main', { id: 'main', class: 'login', tabindex: '-1' }, form);
}
