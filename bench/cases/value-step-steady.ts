// Bench case: the value step (tournament, refit, scores, intervals) on a shop of steady buyers who never drop out —
// 20,000 customers on random days of one year, 300,000 lines (issue 12: `analyze` did not finish in 600 s) —
// against the same step on a shop of the same size with BTYD-like churn (rates and lifetimes vary by customer).
//   value-step-steady.ts steady|churning [customers]
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { runValueStep } from '../../src/pipeline/value-step.js';
import { reportCase } from '../bench-harness.js';

const [shape, customersText] = process.argv.slice(2);
if (shape !== 'steady' && shape !== 'churning') throw new Error('usage: value-step-steady.ts <steady|churning> [customers]');
const customers = Number(customersText ?? 20_000);
const warehouse = await openDuckDbWarehouse(':memory:');
// steady: 15 purchase days spread over the whole year; churning: 1–29 days within the customer's first 73–365 days
const day = shape === 'steady' ? 'hash(c * 7919 + k) % 365' : 'hash(c * 7919 + k) % (73 * (1 + c % 5))';
const lines = shape === 'steady' ? 'range(15)' : 'range(1 + CAST(c % 29 AS INTEGER))';
await warehouse.execute(`
  INSERT INTO transactions
  SELECT NULL, 'c' || CAST(c AS VARCHAR), TIMESTAMP '2023-01-01' + to_days(CAST(${day} AS INTEGER)), NULL, NULL, NULL, 1, 10 + c % 7, 10 + c % 7, NULL, NULL, NULL, NULL, FALSE, FALSE, 1, 'gen', c * 100 + k, md5(CAST(c AS VARCHAR) || '-' || CAST(k AS VARCHAR))
  FROM range(${customers}) r(c), ${lines} s(k)`);
await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-12-31', timeUnit: 'week' })}`);
const [count] = await warehouse.query('SELECT count(*) AS n FROM transactions');
const started = performance.now();
const card = await runValueStep(warehouse, { asOf: '2023-12-31', timeUnit: 'week', grain: 'day' });
const seconds = (performance.now() - started) / 1000;
await warehouse.close();
reportCase(seconds, { lines: Number(count!.n), chosen: card.final.model, boundary: card.final.fit.boundary?.limit ?? 'none' });
