import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectSource, SAMPLE_BYTES } from '../../src/ingest/inspect-source.js';
import { scratchDir } from '../helpers/warehouse.js';

// The encoding check dropped the head's last 3 bytes to ignore a character cut at its end — which itself cut a
// character when a multi-byte one ended 1 or 2 bytes before: a UTF-8 file ending in '12,50 €\n' was taken for Latin-1
// (then 'File is not latin-1 encoded', or Müller read as MÃ¼ller), as was a large file whose head ended so.
describe('the encoding of a file head', () => {
  const dir = scratchDir();
  it.each([
    ['a last line ending in €', 'id;montant\nA1;12,50 €\n'],
    ['a last line ending in ü and a space', 'id;name\nA1;Müller ü \n'],
    ['a last line ending in a narrow no-break space and a digit', 'id;v\nA1;1\u202f2\n'],
  ])('UTF-8: %s', (_name, text) => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, text, 'utf8');
    expect(inspectSource(path).encoding).toBe('utf-8');
  });

  it('a head cut inside a character is still UTF-8 (the cut checked); invalid bytes are Latin-1', () => {
    const big = join(dir, 'big.csv');
    // the head is cut inside one '€' (E2 82 AC), after its second byte: a header of 6 bytes, then lines of 6
    // ('A;€\n'), end the head 4 bytes into a line, so it is 'A;' and 0xE2 82 of a '€' (the earlier header of 5 bytes
    // ended it on a whole '€', and the test passed with any fatal decode, streamed or not)
    const bytes = Buffer.concat([Buffer.from('id;vv\n', 'utf8'), Buffer.from('A;€\n'.repeat(100_000), 'utf8')]);
    expect([...bytes.subarray(SAMPLE_BYTES - 2, SAMPLE_BYTES + 1)]).toEqual([0xe2, 0x82, 0xac]);
    writeFileSync(big, bytes);
    expect(inspectSource(big).encoding).toBe('utf-8');
    const latin = join(dir, 'latin.csv');
    writeFileSync(latin, Buffer.from('id;name\nA1;M\xfcller\n', 'latin1'));
    expect(inspectSource(latin).encoding).toBe('latin-1');
  });
});
