/**
 * The clusters table's value column: a frequency-only log has no order values, so every cluster's value is null;
 * the table then has no value column rather than a column of dashes.
 */
import { describe, expect, it } from 'vitest';
import { renderClustersSection } from '../../src/report/sections/clusters-section.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(200);
const profiles = data.clusters!;
const headers = (html: string) => [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);

describe('clusters table', () => {
  it('has a value column when clusters have a value', () => {
    expect(headers(renderClustersSection(data, profiles).html)).toContain('value');
  });

  it('leaves the value column out when no cluster has one (no order values)', () => {
    const html = renderClustersSection(data, { ...profiles, clusters: profiles.clusters.map((c) => ({ ...c, value: null })) }).html;
    expect(headers(html)).not.toContain('value');
    expect(headers(html)).toContain('customers');
  });
});
