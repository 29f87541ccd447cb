/**
 * report.html's "About this run" names the warehouse (regression): a run on ClickHouse records its warehouse as the
 * entry node's origin with the cluster and database (`http://127.0.0.1:18621 (clvkit/qa18_cdnow)`, clusterLabel in
 * clickhouse-commands.ts), and the section took the base name of that as of a file path — `qa18_cdnow)`, with a stray
 * parenthesis and no server. It shows `clvkit/qa18_cdnow on http://127.0.0.1:18621`; a file keeps its base name.
 */
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/report-data.js';
import { renderRunSection } from '../../src/report/sections/run-section.js';
import { fixtureReportData } from './report-fixture.js';

function warehouseCell(db: string): string {
  const data = fixtureReportData(50);
  const withDb: ReportData = { ...data, run: { ...data.run, parameters: { ...data.run.parameters, db } } };
  const row = /<tr><t[hd][^>]*>warehouse<\/t[hd]><td[^>]*>([\s\S]*?)<\/td><\/tr>/.exec(renderRunSection(withDb).html);
  if (!row) throw new Error('no warehouse row in the run section');
  return row[1]!.replace(/<[^>]+>/g, '');
}

describe('the run section names the warehouse', () => {
  it('a ClickHouse warehouse as cluster/database on its server', () => {
    expect(warehouseCell('http://127.0.0.1:18621 (clvkit/qa18_cdnow)')).toBe('clvkit/qa18_cdnow on http://127.0.0.1:18621');
  });
  it('a file by its base name, in memory as such', () => {
    expect(warehouseCell('/home/someone/shop.duckdb')).toBe('shop.duckdb');
    expect(warehouseCell(':memory:')).toBe('in memory');
  });
});
