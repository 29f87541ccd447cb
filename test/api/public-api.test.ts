import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as clvkit from '../../src/index.js';

describe('the public library API', () => {
  it('exports the entry points a server needs for every privileged action, each of which checks the role', async () => {
    const entryPoints = ['ingestFiles', 'analyze', 'openKeyedWarehouse', 'prepareCustomerExport', 'eraseCustomers', 'applyRetention', 'rotateWarehouseKey', 'readAuditEntries', 'verifyWarehouseAudit', 'buildWarehousePrivacyReport', 'compactWarehouseFile', 'dropIngest'];
    for (const name of entryPoints) expect(typeof (clvkit as Record<string, unknown>)[name], name).toBe('function');
    // a viewer is refused by the library itself, before the warehouse is touched
    await expect(clvkit.eraseCustomers(undefined as never, ['C-1'], { role: 'viewer', keyring: undefined as never })).rejects.toThrow(/role viewer may not erase/);
  });

  it('round-trips a value through the exported key, encryption, token and mask functions', () => {
    const keyring = clvkit.keyringFromKey(clvkit.generateKey());
    const envelope = clvkit.encryptValue('zhang.li@example.com', keyring);
    expect(envelope.startsWith(`v1:${keyring.activeKeyId}:`)).toBe(true);
    expect(clvkit.decryptValue(envelope, keyring)).toBe('zhang.li@example.com');
    expect(clvkit.isToken(clvkit.pseudonymiseId('C-1', keyring))).toBe(true);
    expect(clvkit.maskEmail('zhang.li@example.com')).toBe('z***@example.com');
    expect(clvkit.DEFAULT_MIN_GROUP_SIZE).toBe(5);
  });
});

/** Every name `src/index.ts` exports, sorted by name, types as `type Name`: read from its `export { … } from` lines. */
function exportedNames(indexText: string): string[] {
  const names: { name: string; line: string }[] = [];
  for (const m of indexText.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from/g)) {
    for (const part of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
      const name = part.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!;
      names.push({ name, line: m[1] !== undefined || part.startsWith('type ') ? `type ${name}` : name });
    }
  }
  return names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((n) => n.line);
}

describe('the public API is deliberate', () => {
  const index = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
  const committed = readFileSync(new URL('./public-api.txt', import.meta.url), 'utf8').split('\n').filter((line) => line !== '');

  it('src/index.ts exports exactly the names in test/api/public-api.txt (sorted; a change to the API updates that list)', () => {
    expect(exportedNames(index)).toEqual(committed);
  });

  it('the list matches what the module exports at run time (its value names) and holds no name twice', () => {
    const values = committed.filter((line) => !line.startsWith('type '));
    expect(Object.keys(clvkit).sort()).toEqual([...values].sort());
    expect(new Set(committed.map((line) => line.replace(/^type /, ''))).size).toBe(committed.length);
  });

  it('src/index.ts only re-exports (no code of its own)', () => {
    const statements = index.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('//'));
    expect(statements.filter((line) => !/^export (type )?\{[^}]*\} from '\.\/[a-z0-9/-]+\.js';$/.test(line))).toEqual([]);
  });
});
