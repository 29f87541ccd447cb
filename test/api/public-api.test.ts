import { describe, expect, it } from 'vitest';
import * as clvkit from '../../src/index.js';

describe('the public library API', () => {
  it('exports the entry points a server needs for every privileged action, each of which checks the role', async () => {
    const entryPoints = ['ingestFiles', 'analyze', 'openKeyedWarehouse', 'prepareCustomerExport', 'eraseCustomers', 'applyRetention', 'rotateWarehouseKey', 'readAuditEntries', 'verifyWarehouseAudit', 'buildWarehousePrivacyReport', 'compactWarehouseFile'];
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
