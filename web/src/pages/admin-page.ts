/**
 * Users and tokens (admins only): the dashboard's accounts
 * (`GET/POST /api/users`, `DELETE /api/users/:name`) and the API tokens of
 * machines (`GET/POST /api/tokens`, `DELETE /api/tokens/:id`). A new token's
 * secret is shown once, right after it is created; the server keeps only its
 * hash. Mutations send the CSRF header (api-client).
 */
import { ROLES, type Role } from '../../../src/privacy/access/rbac.js';
import { api } from '../api-client.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

/** `GET /api/users` item */
export interface UserItem {
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lockedUntil: string | null;
}

/** `GET /api/tokens` item */
export interface TokenItem {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revoked: boolean;
}

/** `POST /api/tokens` answer: the secret, shown once */
export interface CreatedToken {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: string | null;
}

/** The items of a list answer: `{ items }` (the contract), or `{ users }` / `{ tokens }`, or a bare array. */
export function listItems<T>(answer: unknown, key: 'users' | 'tokens'): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const body = (answer ?? {}) as Record<string, unknown>;
  const items = body.items ?? body[key];
  return Array.isArray(items) ? (items as T[]) : [];
}

const NAME_PATTERN = '[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function roleSelect(id: string): HTMLSelectElement {
  return h('select', { id, name: 'role', required: true }, ROLES.map((r) => h('option', { value: r, selected: r === 'viewer' }, r)));
}

function usersSection(me: string): HTMLElement {
  const holder = h('div', {});
  const status = h('div', { 'aria-live': 'polite' });
  const refresh = async () => {
    try {
      const users = listItems<UserItem>(await api('/api/users'), 'users');
      holder.replaceChildren(
        dataTable(
          'Users',
          [{ header: 'name' }, { header: 'role' }, { header: 'created' }, { header: 'locked until' }, { header: 'actions' }],
          users.map((u) => [
            u.name,
            u.role,
            u.createdAt,
            u.lockedUntil ?? 'not locked',
            u.name === me
              ? 'you'
              : h('button', { type: 'button', class: 'danger', onclick: async () => {
                  if (!window.confirm(`Delete the user ${u.name}? Their sessions end at once.`)) return;
                  try {
                    await api(`/api/users/${encodeURIComponent(u.name)}`, { method: 'DELETE' });
                    status.replaceChildren(notice(`Deleted the user ${u.name}.`));
                    await refresh();
                  } catch (error) {
                    status.replaceChildren(notice(message(error), 'error'));
                  }
                } }, `Delete user ${u.name}`),
          ]),
          { rowHeaders: true, className: 'users' },
        ),
      );
    } catch (error) {
      holder.replaceChildren(notice(message(error), 'error'));
    }
  };
  const name = h('input', { id: 'user-name', name: 'name', required: true, pattern: NAME_PATTERN, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false' });
  const role = roleSelect('user-role');
  const password = h('input', { id: 'user-password', name: 'password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password', 'aria-describedby': 'user-password-help' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Add a user' },
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, 'New user name'), name),
    h('div', { class: 'field' }, h('label', { for: 'user-role' }, 'Role of the new user'), role),
    h('div', { class: 'field' }, h('label', { for: 'user-password' }, 'Password of the new user'), password, h('span', { id: 'user-password-help', class: 'help' }, 'At least 12 characters; stored as a scrypt hash.')),
    h('button', { type: 'submit' }, 'Add user'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/api/users', { method: 'POST', body: { name: name.value.trim(), role: role.value, password: password.value } });
      status.replaceChildren(notice(`Added the user ${name.value.trim()} (${role.value}).`));
      form.reset();
      await refresh();
    } catch (error) {
      status.replaceChildren(notice(message(error), 'error'));
    } finally {
      password.value = '';
    }
  });
  void refresh();
  return section('Users', form, status, holder);
}

function tokensSection(): HTMLElement {
  const holder = h('div', {});
  const status = h('div', { 'aria-live': 'polite' });
  const secret = h('div', { class: 'token-secret', 'aria-live': 'polite' });
  const refresh = async () => {
    try {
      const tokens = listItems<TokenItem>(await api('/api/tokens'), 'tokens');
      holder.replaceChildren(
        dataTable(
          'API tokens',
          [{ header: 'id' }, { header: 'name' }, { header: 'role' }, { header: 'created' }, { header: 'expires' }, { header: 'status' }, { header: 'actions' }],
          tokens.map((t) => [
            t.id,
            t.name,
            t.role,
            t.createdAt,
            t.expiresAt ?? 'never',
            t.revoked ? 'revoked' : t.expiresAt !== null && Date.parse(t.expiresAt) < Date.now() ? 'expired' : 'active',
            t.revoked
              ? ''
              : h('button', { type: 'button', class: 'danger', onclick: async () => {
                  if (!window.confirm(`Revoke the token ${t.name} (${t.id})? Machines using it are refused at once.`)) return;
                  try {
                    await api(`/api/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
                    status.replaceChildren(notice(`Revoked the token ${t.name}.`));
                    await refresh();
                  } catch (error) {
                    status.replaceChildren(notice(message(error), 'error'));
                  }
                } }, `Revoke token ${t.name}`),
          ]),
          { rowHeaders: true, className: 'tokens' },
        ),
      );
    } catch (error) {
      holder.replaceChildren(notice(message(error), 'error'));
    }
  };
  const name = h('input', { id: 'token-name', name: 'name', required: true, pattern: NAME_PATTERN, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false' });
  const role = roleSelect('token-role');
  const days = h('input', { id: 'token-days', name: 'expiresDays', type: 'number', min: '1', max: '3650', step: '1', value: '90', required: true });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Create an API token' },
    h('div', { class: 'field' }, h('label', { for: 'token-name' }, 'Token name'), name),
    h('div', { class: 'field' }, h('label', { for: 'token-role' }, 'Role of the token'), role),
    h('div', { class: 'field' }, h('label', { for: 'token-days' }, 'Expires after (days)'), days),
    h('button', { type: 'submit' }, 'Create token'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await api<CreatedToken>('/api/tokens', { method: 'POST', body: { name: name.value.trim(), role: role.value, expiresDays: Number(days.value) } });
      secret.replaceChildren(
        h(
          'div',
          { class: 'callout warn' },
          h('p', {}, `The token ${name.value.trim()} (${created.id}), valid until ${created.expiresAt ?? 'revoked'}. Copy it now: it is not shown again.`),
          h('label', { for: 'token-value' }, 'New token'),
          h('input', { id: 'token-value', class: 'token', readonly: true, value: created.token, size: 60, onfocus: (e: Event) => (e.target as HTMLInputElement).select() }),
        ),
      );
      status.replaceChildren();
      form.reset();
      await refresh();
    } catch (error) {
      status.replaceChildren(notice(message(error), 'error'));
    }
  });
  void refresh();
  return section('API tokens', h('p', { class: 'help' }, 'For machines sending events and orders (POST /api/events, /api/orders with Authorization: Bearer TOKEN). The server keeps a hash only.'), form, secret, status, holder);
}

export const adminPage: PageDefinition = {
  ...pageEntry('admin'),
  async render(context) {
    return [usersSection(context.me.name), tokensSection()];
  },
};
