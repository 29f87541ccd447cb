import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';
import { dumpWarehouseText } from '../privacy/privacy-fixture.js';

// Privacy officer's trial (session 40): `clvkit ingest --header --map customer_id=1 --map signup_date=2 profiles.csv`
// on a profile file without a header line took its first line for the header — as the sniffer used to (session
// before: headerless-first-line-personal.test.ts), but --header overrode that check: the first customer's row was lost,
// and their id, name, e-mail address and phone number became column names, printed in the ingest report ("columns:
// customer_id=100001 …", "not read: … Poppy Norris, poppy.norris.100001@example.com") and stored in clear in
// ingests.report, where no erasure (by token) reaches them. A first line holding an e-mail address or a +country-code
// phone number is refused as a header even when --header is given, nothing stored.
const LINES = [
  '100001,2022-07-23,email,Poppy Norris,poppy.norris.100001@example.com,+44 7700 900770',
  '100002,2022-06-23,paid_search,Tara Quinn,tara.quinn.100002@example.com,+44 7700 900068',
  '100003,2022-05-01,organic,Ben Reed,ben.reed.100003@example.com,+44 7700 900243',
];

describe('--header on a file whose first line holds contact details', () => {
  const scratch = useScratchWarehouse({ file: true });

  it('is refused in one line, nothing of the line in the message or the warehouse', async () => {
    const path = join(scratch.dir, 'profiles.csv');
    writeFileSync(path, LINES.join('\n') + '\n');
    const run = ingestFiles(scratch.warehouse, [path], { keyring: keyringFromKey(generateKey()), kind: 'customers', header: true, map: { customer_id: '1', signup_date: '2' } });
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(/^--header: the first line of profiles\.csv holds an e-mail address or a phone number: it is data, not a header$/);
    const text = await dumpWarehouseText(scratch.warehouse);
    for (const value of ['Poppy', 'poppy.norris', '7700 900770']) expect(text).not.toContain(value);
    expect(Number((await scratch.warehouse.query('SELECT count(*) AS n FROM ingests'))[0]!.n)).toBe(0);
  });
});
