// Bench case: the ISO date expression of the judging pass on N values (default 2M), the same process, alternated rounds:
// main's expression without a shop zone (the baseline: a file without offsets and without --timezone), a fixed offset
// and an IANA zone (America/New_York), on values with offsets and without; '+count' adds the offset the judging pass
// keeps to count the offsets it meets (date_offset). Prints median CPU and wall ms and ratios.
// Run: npx tsx bench/cases/date-expression-zones.ts [values] [rounds]
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { dateFormatSql } from '../../src/ingest/detect-date-format.js';
import { dateOffsetSql, parseTimezone, type ShopTimezone } from '../../src/ingest/time-zone-offsets.js';

const values = Number(process.argv[2] ?? 2_000_000);
const rounds = Number(process.argv[3] ?? 5);
const warehouse = await openDuckDbWarehouse(':memory:', { threads: 2 });
const d = warehouse.dialect;
// Dates over 2023 every 15.77 s; with offsets: New York's -0500/-0400 in Shopify's layout and a tenth in UTC (…Z).
const date = "strftime(TIMESTAMP '2023-01-01' + to_seconds(i * 15.77), '%Y-%m-%d %H:%M:%S')";
await warehouse.execute(`CREATE TABLE plain AS SELECT ${date} AS v FROM range(${values}) t(i)`);
await warehouse.execute(`CREATE TABLE offsets AS SELECT CASE WHEN i % 10 = 0 THEN replace(${date}, ' ', 'T') || 'Z' WHEN (i * 15.77) BETWEEN 5.9e6 AND 2.65e7 THEN ${date} || ' -0400' ELSE ${date} || ' -0500' END AS v FROM range(${values}) t(i)`);

const shops: Record<string, ShopTimezone | undefined> = { none: undefined, offset: parseTimezone('-05:00'), zone: parseTimezone('America/New_York') };
const cases = [
  ['plain', 'none'], ['plain', 'none+count'], ['plain', 'offset'], ['plain', 'zone'], ['offsets', 'offset'], ['offsets', 'offset+count'], ['offsets', 'zone'],
] as const;
const times = new Map<string, { cpu: number[]; wall: number[] }>(cases.map(([t, s]) => [`${t}/${s}`, { cpu: [], wall: [] }]));
for (let round = 0; round < rounds; round++) {
  for (const [table, shop] of round % 2 === 0 ? cases : [...cases].reverse()) {
    const [zone, count] = shop.split('+');
    const offset = count ? `, ${dateOffsetSql('v', zone === 'none')} AS o` : ', 0 AS o';
    const sql = `SELECT count(x) AS n, max(x) AS m, max(o) AS mo FROM (SELECT ${dateFormatSql(d, 'v', 'iso', shops[zone!])} AS x${offset} FROM ${table})`;
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const [row] = await warehouse.query(sql);
    const spent = process.cpuUsage(cpu);
    if (Number(row!.n) !== values) throw new Error(`${table}/${shop}: ${String(row!.n)} of ${values} read`);
    times.get(`${table}/${shop}`)!.cpu.push((spent.user + spent.system) / 1000);
    times.get(`${table}/${shop}`)!.wall.push(performance.now() - wall);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times.get('plain/none')!.cpu);
const offsetBase = median(times.get('offsets/offset')!.cpu);
for (const [key, t] of times) {
  const cpu = median(t.cpu);
  console.log(`${key.padEnd(16)} cpu ${cpu.toFixed(0).padStart(6)} ms  wall ${median(t.wall).toFixed(0).padStart(6)} ms  ×${(cpu / base).toFixed(2)} of plain/none${key.startsWith('offsets') ? `  ×${(cpu / offsetBase).toFixed(2)} of offsets/offset` : ''}`);
}
await warehouse.close();
