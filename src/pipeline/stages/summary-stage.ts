import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { buildCustomerSummarySql } from '../../features/customer-summary.js';
import { hasValuedLines, mixedOrderValuesWarning, mixedSummaryCounts, mixesOrderValues, orderValueLines } from '../../features/mixed-order-values.js';
import { orderGrainWarning } from '../../features/order-grain-warning.js';
import { untimedHoursWarning } from '../../features/untimed-hours-warning.js';
import { computeHeadlineStats } from '../../features/headline-stats.js';
import type { AnalysisContext } from '../analysis-context.js';
import type { Stage } from '../stage.js';
import { addDays } from '../../core/calendar-days.js';
import { daysPastData } from '../days-past-data.js';
import { lonePurchasesAfterGapWarning } from '../lone-purchases-after-gap.js';
import { modelsSkippedWarning } from './value-stage.js';
import { rowsMemoryLimitBytes, withEngineMemoryLimit } from '../../ingest/ingest-memory.js';
import { warehouseFlags, warehouseName } from '../../engine/warehouse-flags.js';
import { runWords } from '../../core/run-words.js';
import { lateReturnsWarning } from '../../features/late-returns-warning.js';
import { plural } from '../../core/plural.js';
import { summaryStageDetail } from './stage-details.js';

async function lastPurchaseDay(warehouse: Warehouse, api: boolean): Promise<string> {
  // counted: ClickHouse's max() of no rows is 1970-01-01, not NULL (a cluster of returns only ran on as of 1970)
  const [row] = await warehouse.query('SELECT count(*) AS n, max(ts) AS last FROM transactions WHERE NOT is_return');
  if (!row || Number(row.n) === 0 || row.last === null) {
    if (api) throw new UserError('the warehouse holds no purchases to analyse', 'send orders first: POST /api/orders');
    // on a cluster the commands name it again (its URL and database), not --db PATH
    const analyze = warehouse.dialect.name === 'clickhouse' ? `clvkit analyze <file> ${warehouseFlags(warehouse)}` : 'clvkit analyze <file>';
    throw new UserError(`${warehouseName(warehouse, 'the warehouse')} holds no purchases to analyse`, `ingest a transaction file first: ${analyze} (or clvkit ingest <file> ${warehouseFlags(warehouse)})`);
  }
  return (row.last as Date).toISOString().slice(0, 10);
}

/**
 * The customer summary as of the run's date, materialised once as
 * `customer_summary` (every later stage reads this table, none rebuilds it),
 * and the headline figures. Stops the run when the data describes fewer
 * customers than the minimum group size.
 */
export const summaryStage: Stage<AnalysisContext> = {
  name: 'summary',
  reads: ['transactions'],
  writes: ['customer_summary'],
  async run(context) {
    const { warehouse, privacy } = context;
    const api = context.options.api === true;
    const words = runWords(api);
    const lastDay = await lastPurchaseDay(warehouse, api);
    const asOf = context.options.asOf ?? lastDay;
    context.results.asOf = asOf;
    const past = daysPastData(asOf, lastDay);
    const asOfName = words.name('asOf');
    // as of the last purchase day by default: returns booked after it would be left out without a word
    const late = context.options.asOf === undefined ? await lateReturnsWarning(warehouse, asOf, { end: 'the analysis date', leftOutOf: "revenue and every customer's spend", setEnd: (day) => `${words.give} ${words.set('asOf', day)}` }) : null;
    if (late) context.warnings.push(late);
    if (past !== null) context.warnings.push(`${asOfName} ${asOf} is ${plural(past, 'day')} after the last purchase (${lastDay}): every customer looks inactive by then, and the value models' holdout (the last days before it) holds fewer purchases than it should or none; leave ${asOfName} out to analyse as of the last purchase`);
    // a mistyped date far after the rest (as of it every customer looks inactive): said, with the day before the gap
    const lone = await lonePurchasesAfterGapWarning(warehouse, asOf, words);
    if (lone) context.warnings.push(lone);
    // under a cap that grows with the lines held (issue 14: uncapped, its per-day aggregate over customer tokens was a keyed run's peak memory)
    const [held] = await warehouse.query('SELECT count(*) AS n FROM transactions');
    await withEngineMemoryLimit(warehouse, rowsMemoryLimitBytes(Number(held!.n)), () =>
      warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit: context.timeUnit, grain: context.grain })}`),
    );
    const headline = await computeHeadlineStats(warehouse, 'customer_summary', `${addDays(asOf, 1)}T00:00:00.000Z`);
    context.results.headline = headline;
    if (headline.customers > 0 && headline.customers < privacy.minGroupSize) {
      // every figure of the run (revenue, segments, the report) would describe these few people
      const n = headline.customers;
      if (api) {
        throw new UserError(
          `${n} customer${n === 1 ? '' : 's'} in the data: fewer than the minimum group size (${privacy.minGroupSize}, the server's), so every aggregate would describe individuals; nothing was written`,
          `send the orders of more customers first (POST /api/orders)${n >= 2 ? `; the floor is set where the server is started (clvkit serve --min-group-size ${n} allows ${n})` : ''}`,
        );
      }
      throw new UserError(
        `${headline.customers} customer${headline.customers === 1 ? '' : 's'} in the data: fewer than the minimum group size (--min-group-size ${privacy.minGroupSize}), so every aggregate would describe individuals; nothing was written`,
        headline.customers >= 2 ? `pass --min-group-size ${headline.customers} if publishing figures of ${headline.customers} customers is acceptable` : 'analyse a data set with more customers',
      );
    }
    const lines = await orderValueLines(warehouse);
    context.results.orderValues = hasValuedLines(lines);
    // files with and without order values: said with the customers whose spend statistics leave days out
    if (mixesOrderValues(lines)) {
      const mixed = await mixedOrderValuesWarning(warehouse, { lines, summary: await mixedSummaryCounts(warehouse, 'customer_summary'), occasions: context.grain === 'order' ? 'orders' : 'days' });
      if (mixed) context.warnings.push(mixed);
    }
    const grainWarning = await orderGrainWarning(warehouse, context.grain, words);
    if (grainWarning) context.warnings.push(grainWarning);
    const hours = await untimedHoursWarning(warehouse, context.timeUnit);
    if (hours) context.warnings.push(hours);
    const skipped = context.options.skipModels ? null : modelsSkippedWarning(headline);
    if (skipped) context.warnings.push(skipped);
    return summaryStageDetail(headline.customers, asOf);
  },
};
