/**
 * Regression: a non-UTF-8 opt-out list or responses file was read as strict Latin-1, so the Windows-1252 characters
 * a spreadsheet on Windows writes at 0x80–0x9F (€ ‘ ’ “ ” – —) became invisible C1 control characters, and an id such
 * as `O’Brien` matched nothing. It is now read as Windows-1252 (decodeWindows1252), as data files are.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActionFileText } from '../../src/actions/action-file-text.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('readActionFileText on a Windows-1252 file', () => {
  it('reads € and curly quotes as themselves, not C1 controls; Latin-1 letters as before', () => {
    const path = join(scratchDir(), 'optout.csv');
    // customer_id / O’Brien / “VIP” €5 / Müller, in Windows-1252
    writeFileSync(path, Buffer.concat([Buffer.from('customer_id\nO'), Buffer.from([0x92]), Buffer.from('Brien\n'), Buffer.from([0x93]), Buffer.from('VIP'), Buffer.from([0x94, 0x20, 0x80]), Buffer.from('5\nM'), Buffer.from([0xfc]), Buffer.from('ller\n')]));
    const text = readActionFileText(path, '--opt-out', 'a list of ids', 'hint');
    expect(text).toBe('customer_id\nO\u2019Brien\n\u201CVIP\u201D \u20AC5\nM\u00FCller\n');
    expect(text).not.toMatch(/[\x80-\x9F]/);
  });
});
