import { describe, expect, it } from 'vitest';
import { describeFileReading } from '../../src/ingest/ingest-report.js';

// QA: the report's Files table read `whitespace, utf-8, "whitespace", no header` for CDNOW's blank-separated file
// (the delimiter said twice), and the ingest text `… delimiter "whitespace" …`; both now come from one function.
describe('how a file was read, in one phrase (ingest text and the report’s Files table)', () => {
  const file = { encoding: 'utf-8', hasHeader: true };
  it('names a CSV delimiter once, as a delimiter', () => {
    expect(describeFileReading({ ...file, format: 'csv', delimiter: ';' })).toBe('csv, utf-8, delimiter ";", header');
  });
  it('says blank-separated columns once, without a delimiter', () => {
    expect(describeFileReading({ ...file, format: 'whitespace', delimiter: 'whitespace', hasHeader: false })).toBe('blank-separated, utf-8, no header');
  });
  it('gives a Parquet or JSON Lines file no delimiter or header', () => {
    expect(describeFileReading({ ...file, format: 'parquet', delimiter: null })).toBe('parquet');
    expect(describeFileReading({ ...file, format: 'jsonl', delimiter: null })).toBe('jsonl, utf-8');
  });
});
