import { UserError } from './user-error.js';

/**
 * A key is missing, wrong, unreadable or unsafe: the message says which key
 * and what went wrong, the hint how to supply the right one. Never carries
 * key material or plaintext.
 *
 * Example: `throw new KeyError('no key k3f2a9c10 in the keyring', 'set CLVKIT_KEY to the key that wrote this data')`
 */
export class KeyError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    // UserError types `name` as the literal 'UserError'; set ours at run time.
    Object.defineProperty(this, 'name', { value: 'KeyError', configurable: true, writable: true });
  }
}
