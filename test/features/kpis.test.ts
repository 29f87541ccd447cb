import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { computeKpis, computeKpisByGroups } from '../../src/features/kpis.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

// Hand-computed on test/fixtures/shop/tiny-shop.csv as of 2023-03-31, period 60 days:
// last period [2023-01-31, 2023-04-01): A, C, G bought; previous period [2022-12-02, 2023-01-31): A, B, D, I.
describe('KPIs on the tiny shop', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
  });
  afterAll(() => warehouse.close());

  it('match the hand-computed values overall', async () => {
    const [all] = await computeKpis(warehouse, { asOf: '2023-03-31', periodDays: 60 });
    expect(all).toMatchObject({ group: 'all', customers: 6, activeCustomers: 3 });
    expect(all!.retentionRate).toBeCloseTo(1 / 4, 12); // of A, B, D, I only A bought again
    expect(all!.churnRate).toBeCloseTo(3 / 4, 12);
    expect(all!.repurchaseRate).toBeCloseTo(2 / 6, 12); // A (3 days), I (4 days); D's two orders were on one day
    expect(all!.averageOrderValue).toBeCloseTo(275 / 12, 10); // 12 orders, 275.00 gross
    expect(all!.purchaseFrequencyPerYear).toBeCloseTo(12 / 6, 12);
    expect(all!.historicClv).toBeCloseTo(265 / 6, 10); // C's return nets 10 off
    expect(all!.averageLifespanYears).toBeCloseTo(1 / (1 - 0.25 ** (365 / 60)), 12);
    expect(all!.simpleClv).toBeCloseTo(all!.averageLifespanYears * (275 / 12) * 2, 10);
    expect(all!.profitabilityRatio).toBe(1); // no costs in the file
    expect(Number.isNaN(all!.clvToCac)).toBe(true); // no acquisition costs known
  });

  it('leave lifespan and simple CLV unknown (NaN, not Infinity) when nobody bought in the previous period', async () => {
    // as of 2023-01-05 with 30-day periods: the previous period [2022-11-07, 2022-12-07) is before the first order
    const [all] = await computeKpis(warehouse, { asOf: '2023-01-05', periodDays: 30 });
    expect(all!.customers).toBe(2); // A (Jan 5) and I (Jan 2)
    expect(Number.isNaN(all!.retentionRate)).toBe(true);
    expect(Number.isNaN(all!.averageLifespanYears)).toBe(true);
    expect(Number.isNaN(all!.simpleClv)).toBe(true);
  });

  it('give an infinite lifespan when everyone of the previous period bought again', async () => {
    // as of 2023-01-23, 7-day periods: previous [2023-01-10, 2023-01-17) I (Jan 16), D (Jan 10); last [2023-01-17, 2023-01-24): B (Jan 20), I (Jan 23)
    const [all] = await computeKpis(warehouse, { asOf: '2023-01-23', periodDays: 7 });
    expect(all!.retentionRate).toBeCloseTo(1 / 2, 12);
    const [onlyI] = await computeKpis(warehouse, { asOf: '2023-01-23', periodDays: 4 });
    // previous [2023-01-16, 2023-01-20): I; last [2023-01-20, 2023-01-24): B, I → retention 1
    expect(onlyI!.retentionRate).toBe(1);
    expect(onlyI!.averageLifespanYears).toBe(Number.POSITIVE_INFINITY);
  });

  it('split by a group column, the groups add up to the whole', async () => {
    await warehouse.execute("CREATE TABLE shop_groups AS SELECT * FROM (VALUES ('A', 'x'), ('B', 'x'), ('C', 'y'), ('D', 'y'), ('G', 'y'), ('I', 'x')) t(customer_id, grp)");
    const rows = await computeKpis(warehouse, { asOf: '2023-03-31', periodDays: 60, groupBy: { table: 'shop_groups', column: 'grp' } });
    expect(rows.map((r) => [r.group, r.customers, r.activeCustomers])).toEqual([
      ['x', 3, 1],
      ['y', 3, 2],
    ]);
    const x = rows.find((r) => r.group === 'x')!;
    expect(x.retentionRate).toBeCloseTo(1 / 3, 12); // A, B, I bought in the previous period; A again
  });

  it('per acquisition channel with acquisition costs: simple CLV net of the cost, and CLV:CAC', async () => {
    await warehouse.execute("INSERT INTO customers (customer_id, acquisition_channel, acquisition_cost) VALUES ('A', 'paid', 20), ('B', 'paid', 10), ('C', 'organic', 0), ('D', 'organic', 0), ('G', 'organic', 0), ('I', 'paid', 30)");
    const rows = await computeKpis(warehouse, { asOf: '2023-03-31', periodDays: 60, groupBy: { table: 'customers', column: 'acquisition_channel' } });
    const paid = rows.find((r) => r.group === 'paid')!;
    expect(paid.customers).toBe(3);
    expect(paid.acquisitionCost).toBeCloseTo(20, 12);
    // A, B, I: orders 3 + 1 + 4 = 8, gross 55.5 + 15 + 55.5 = 126; retention 1/3 (A of A, B, I)
    const lifespan = 1 / (1 - (1 / 3) ** (365 / 60));
    expect(paid.simpleClv).toBeCloseTo(lifespan * (126 / 8) * (8 / 3) - 20, 10);
    expect(paid.clvToCac).toBeCloseTo(paid.simpleClv / 20, 12);
  });

  it('average the acquisition costs of a channel exactly, whatever order the rows come in (0.1, 0.2 and 0.3: their exact sum 0.6 over 3)', async () => {
    const options = { asOf: '2023-03-31', periodDays: 60, groupBy: { table: 'customers', column: 'acquisition_channel' } };
    const paid = async () => (await computeKpis(warehouse, options)).find((r) => r.group === 'paid')!.acquisitionCost;
    const costs = async (values: string) => {
      await warehouse.execute('DELETE FROM customers');
      await warehouse.execute(`INSERT INTO customers (customer_id, acquisition_channel, acquisition_cost) VALUES ${values}`);
    };
    await warehouse.execute('CREATE TEMP TABLE customers_before AS SELECT * FROM customers');
    try {
      // summed as doubles in this order, (0.1 + 0.2) + 0.3 = 0.6000000000000001 (an average of 0.20000000000000004);
      // in the other, 0.6 (0.19999999999999998)
      await costs("('A', 'paid', 0.1), ('B', 'paid', 0.2), ('I', 'paid', 0.3)");
      expect(await paid()).toBe(0.6 / 3);
      await costs("('I', 'paid', 0.3), ('B', 'paid', 0.2), ('A', 'paid', 0.1)");
      expect(await paid()).toBe(0.6 / 3);
    } finally {
      await warehouse.execute('DELETE FROM customers; INSERT INTO customers SELECT * FROM customers_before; DROP TABLE customers_before');
    }
  });

  it('several groupings at once (the lifecycle stage’s): each as computed alone, the per-customer sums in one scratch table dropped after', async () => {
    const groupings = [null, { table: 'shop_groups', column: 'grp' }, { table: 'customers', column: 'acquisition_channel' }] as const;
    const options = { asOf: '2023-03-31', periodDays: 60 };
    const together = await computeKpisByGroups(warehouse, options, groupings);
    const alone = [];
    for (const groupBy of groupings) alone.push(await computeKpis(warehouse, { ...options, ...(groupBy ? { groupBy } : {}) }));
    expect(together).toEqual(alone);
    expect(together.map((rows) => rows.map((r) => [r.group, r.customers]))).toEqual([
      [['all', 6]],
      [['x', 3], ['y', 3]],
      [['organic', 3], ['paid', 3]],
    ]);
    const [left] = await warehouse.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'clv_kpi_customers'");
    expect(Number(left!.n)).toBe(0);
  });
});
