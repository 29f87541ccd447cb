/**
 * Event types as analytics tools write them (QA session 34, finding 6). Segment's `Product Viewed`, `Product Added`,
 * `Order Completed`, `Products Searched`, Shopify's `product_viewed`, `product_added_to_cart`, `checkout_completed`,
 * `search_submitted` and GA4's `view_search_results` were kept as unknown types — not views, carts, purchases or
 * searches to the analysis — without a word; `checkout` was read as a purchase (starting a checkout is not one), and
 * every `page_view` as a product view (GA4 logs one beside each view_item, and most page views show no product).
 * The ingest report now counts the types stored and warns of those the analysis does not read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPE_SYNONYMS, PAGE_VIEW_SPELLINGS } from '../../src/ingest/clean-events-sql.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { scratchDir, withMemoryWarehouse, writeLines } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

/** Stored type per given type, one event each (a product id on every row unless `noProduct`). */
async function storedTypes(given: readonly string[], noProduct: readonly string[] = []): Promise<Record<string, string>> {
  const rows = given.map((type, i) => `S1,a1,2023-03-01T10:${String(i).padStart(2, '0')}:00,${type},${noProduct.includes(type) ? '' : 'P1'}`);
  const path = writeLines(scratchDir(), 'types.csv', ['session_id,anonymous_id,ts,type,product_id', ...rows]);
  return withMemoryWarehouse(async (warehouse) => {
    await ingestFiles(warehouse, [path], { now: NOW });
    const stored = await warehouse.query('SELECT type FROM events ORDER BY ts');
    return Object.fromEntries(given.map((type, i) => [type, String(stored[i]!.type)]));
  });
}

describe('event type vocabularies', () => {
  it("Segment's, Shopify's and GA4's names map to the types the analysis reads", async () => {
    expect(await storedTypes(['Product Viewed', 'Product Added', 'Product Removed', 'Order Completed', 'Products Searched', 'Signed In'])).toEqual({
      'Product Viewed': 'view', 'Product Added': 'add_to_cart', 'Product Removed': 'remove_from_cart', 'Order Completed': 'purchase', 'Products Searched': 'search', 'Signed In': 'login',
    });
    expect(await storedTypes(['product_viewed', 'product_added_to_cart', 'product_removed_from_cart', 'checkout_completed', 'search_submitted'])).toEqual({
      product_viewed: 'view', product_added_to_cart: 'add_to_cart', product_removed_from_cart: 'remove_from_cart', checkout_completed: 'purchase', search_submitted: 'search',
    });
    expect(await storedTypes(['view_item', 'add_to_cart', 'remove_from_cart', 'purchase', 'view_search_results', 'search', 'login'])).toEqual({
      view_item: 'view', add_to_cart: 'add_to_cart', remove_from_cart: 'remove_from_cart', purchase: 'purchase', view_search_results: 'search', search: 'search', login: 'login',
    });
  });

  it('starting a checkout is not a purchase; a page view is a product view only with a product', async () => {
    expect(await storedTypes(['checkout', 'begin_checkout', 'Checkout Started'])).toEqual({ checkout: 'checkout', begin_checkout: 'begin_checkout', 'Checkout Started': 'checkout_started' });
    expect(await storedTypes(['page_view', 'Page View', 'pageview'], ['page_view', 'Page View', 'pageview'])).toEqual({ page_view: 'page_view', 'Page View': 'page_view', pageview: 'page_view' });
    expect(await storedTypes(['page_view', 'pageview'])).toEqual({ page_view: 'view', pageview: 'view' });
  });
});

describe('the ingest report of an event file', () => {
  it('counts the accepted events per stored type and warns of the types the analysis does not read, with their counts', async () => {
    const rows = ['view', 'view', 'Product Viewed', 'add_to_cart', 'wishlist_add', 'wishlist_add', 'session_start', 'Product Viewed'];
    const path = writeLines(scratchDir(), 'messy.csv', ['session_id,anonymous_id,ts,type,product_id', ...rows.map((type, i) => `S1,a1,2023-03-01T10:0${i}:00,${type},P${i}`), 'S1,a1,2023-03-01T11:00:00,,P9']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      const file = report.files[0]!;
      expect(file.eventTypes).toEqual({ view: 4, wishlist_add: 2, add_to_cart: 1, session_start: 1 });
      expect(Object.keys(file.eventTypes!)).toEqual(['view', 'wishlist_add', 'add_to_cart', 'session_start']); // commonest first
      expect(file.warnings).toContain(
        '3 of 8 events are of types the analysis does not read, kept as given: wishlist_add (2), session_start (1) — they count in their sessions (events, start and end) but as no view, search, cart or purchase; the types read are view, search, add_to_cart, remove_from_cart, login, purchase (docs/events.md lists the names mapped to them)',
      );
      expect(formatIngestReport(report)).toContain('  event types: view 4, wishlist_add 2, add_to_cart 1, session_start 1');
    });
  });

  it('says nothing of types when every type is one the analysis reads', async () => {
    const path = writeLines(scratchDir(), 'clean.csv', ['session_id,anonymous_id,ts,type', 'S1,a1,2023-03-01T10:00:00,view', 'S1,a1,2023-03-01T10:01:00,purchase']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]!.eventTypes).toEqual({ purchase: 1, view: 1 });
      expect(report.files[0]!.warnings).toEqual([]);
    });
  });
});

describe('docs/events.md', () => {
  it('lists every spelling mapped, in the row of the type it maps to', () => {
    const docs = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    const row = (type: string) => docs.split('\n').find((line) => line.startsWith(`| \`${type}\` |`)) ?? '';
    for (const [from, to] of Object.entries(EVENT_TYPE_SYNONYMS)) expect(row(to), from).toContain(`\`${from}\``);
    for (const from of PAGE_VIEW_SPELLINGS) expect(row('view'), from).toContain(`\`${from}\``);
  });
});
