// Not a bench case: the customer summary's peak RSS over 10M-line transactions as an in-memory warehouse holds them,
// with customer ids as the file gives them (short, inlined by DuckDB) or as 28-character token-shaped text (what a
// keyed ingest stores), under the engine's default memory limit or a given one. The rows are loaded straight from
// the CSV by SQL (no ingest), so only the summary is measured; one case per process (peak RSS is the process's).
//   tsx bench/cases/summary-memory.ts <csv> [--tokens] [--limit 1330MiB]
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';

const argv = process.argv.slice(2);
const [path] = argv;
if (!path) throw new Error('usage: summary-memory.ts <csv> [--tokens] [--limit SIZE]');
const limit = argv.includes('--limit') ? argv[argv.indexOf('--limit') + 1] : undefined;
const warehouse = await openDuckDbWarehouse(':memory:');
const id = argv.includes('--tokens') ? "'c_' || substr(md5(CAST(CustomerID AS VARCHAR)), 1, 26)" : 'CAST(CustomerID AS VARCHAR)';
const MIB = 1024 * 1024;
await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, product_id, description, quantity, unit_price, amount, country, is_return, is_outlier, ingest_id, source, source_line, row_hash)
  SELECT InvoiceNo, ${id}, InvoiceDate, StockCode, Description, Quantity, UnitPrice, Quantity * UnitPrice, Country, Quantity < 0, FALSE, 1, 'f.csv', 0, md5(InvoiceNo)
  FROM read_csv('${path}') WHERE CustomerID IS NOT NULL`);
const loaded = process.memoryUsage.rss() / MIB;
const loadPeak = process.resourceUsage().maxRSS / 1024;
if (limit) await warehouse.execute(`SET memory_limit = '${limit}'`);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss() / MIB)), 100);
const started = performance.now();
const cpu = process.cpuUsage();
await warehouse.execute(`CREATE TABLE s AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2022-12-31', timeUnit: 'week' })}`);
const used = process.cpuUsage(cpu);
clearInterval(sampler);
console.log(JSON.stringify({ tokens: argv.includes('--tokens'), limit: limit ?? 'default', rssAfterLoadMiB: Math.round(loaded), loadPeakMiB: Math.round(loadPeak), summaryPeakMiB: Math.round(Math.max(peak, process.memoryUsage.rss() / MIB)), summarySeconds: (performance.now() - started) / 1000, summaryCpuSeconds: (used.user + used.system) / 1e6, processPeakMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
await warehouse.close();
