import { groupThousands } from '../core/group-thousands.js';
import type { Warehouse } from '../engine/warehouse.js';
import { dayMonthOrder, DEFAULT_ORDER, SEPARATOR_NAME, SEPARATORS, separatorOf, separatorPattern, tellingPattern, type DayMonth, type OrderDecision, type Separator } from './day-month-order.js';

/**
 * The warning of the values written with a separator no chosen layout reads (`04-15-2023` after 20,000 dotted dates:
 * absent from the sample, or too few there to choose a layout): they are quarantined as bad_date, counted here (the
 * review's R2: one was quarantined uncounted, and its order lent to the dotted rows). The hint names the layouts
 * detected and, per such separator, those of its order (the one decided from the sample when it was in it; else the
 * order more of its values can only be read in, its default on a tie) that read some of them: `--date-format`
 * replaces every layout detected. `parsed` is a layout's SQL on `v`. Undefined when there are none.
 */
export async function absentSeparatorsLeftOut(
  warehouse: Warehouse,
  whole: { table: string; column: string },
  chosen: readonly string[],
  chosenSeparators: readonly Separator[],
  layouts: readonly string[],
  decisions: ReadonlyMap<Separator, OrderDecision>,
  parsed: (format: string) => string,
): Promise<string | undefined> {
  const d = warehouse.dialect;
  const absent = SEPARATORS.filter((s) => !chosenSeparators.includes(s));
  if (absent.length === 0 || chosen.length === 0) return undefined;
  const of = (s: Separator) => layouts.filter((f) => separatorOf(f) === s);
  const columns = absent.flatMap((s, k) => [
    `count(*) FILTER (WHERE ${d.fullMatch('v', separatorPattern(s))}) AS n_${k}`,
    `min(CASE WHEN ${d.fullMatch('v', separatorPattern(s))} THEN v END) AS e_${k}`,
    `count(*) FILTER (WHERE ${d.fullMatch('v', tellingPattern('md', s))}) AS md_${k}`,
    `count(*) FILTER (WHERE ${d.fullMatch('v', tellingPattern('dm', s))}) AS dm_${k}`,
    ...of(s).map((f, i) => `count(*) FILTER (WHERE ${parsed(f)} IS NOT NULL) AS r_${k}_${i}`),
  ]);
  // only the values written with an absent separator are parsed (a regular expression on the others)
  const [row] = await warehouse.query(`SELECT ${columns.join(', ')} FROM (SELECT trim(${d.identifier(whole.column)}) AS v FROM ${whole.table}) s
    WHERE ${d.fullMatch('v', `(${absent.map(separatorPattern).join('|')})`)}`);
  const said: string[] = [];
  absent.forEach((s, k) => {
    const n = Number(row![`n_${k}`]);
    if (n === 0) return;
    const [md, dm] = [Number(row![`md_${k}`]), Number(row![`dm_${k}`])];
    const order: DayMonth = decisions.get(s)?.order ?? (md > dm ? 'md' : dm > md ? 'dm' : DEFAULT_ORDER[s]);
    const readers = of(s).filter((f, i) => dayMonthOrder(f) === order && Number(row![`r_${k}_${i}`]) > 0);
    const hint = readers.length === 0 ? '' : `; pass ${[...chosen, ...readers].map((f) => `--date-format '${f}'`).join(' ')} to read them`;
    const values = n === 1 ? '1 value' : `${groupThousands(n)} values`;
    said.push(`${values} written with ${SEPARATOR_NAME[s]} (such as ${String(row![`e_${k}`])}) ${n === 1 ? 'is' : 'are'} quarantined as bad_date: too few of the dates sampled to choose a layout for them${hint}`);
  });
  return said.length > 0 ? said.join('; ') : undefined;
}
