import { addDays } from '../../core/calendar-days.js';
import { hasEvents, runEvents } from '../../events/run-events.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { derivedTable } from '../../engine/derived-tables.js';
import type { Stage } from '../stage.js';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Events and prospects (issue 16): identity stitching, sessions, funnels,
 * buyer types, the online lifecycle, prospects' conversion propensity and
 * value. Runs after the purchase stages (its breakdowns use their tables)
 * and does nothing when the warehouse holds no events.
 */
export const eventsStage: Stage<AnalysisContext> = {
  name: 'events',
  reads: ['events', 'transactions', 'customers', 'customer_scores', 'customer_stages', 'customer_rfm', 'customer_cohorts'],
  writes: ['customer_behaviour', 'customer_prospects'],
  async run(context) {
    if (!(await hasEvents(context.warehouse))) {
      // no events: the tables exist, empty, so customers.csv has its columns (buyer_type empty = unknown)
      for (const table of ['customer_behaviour', 'customer_prospects']) {
        const d = context.warehouse.dialect;
        const columns = derivedTable(table).columns.map((c) => `${d.identifier(c.name)} ${c.type}`);
        await context.warehouse.execute(`CREATE OR REPLACE TABLE ${table} (${columns.join(', ')})`);
      }
      return 'no events';
    }
    const valueModel = context.results.valueModel;
    const summary = await runEvents(context.warehouse, {
      asOf: requireResult(context, 'asOf'),
      validationFrom: valueModel ? addDays(valueModel.calibrationEnd, 1) : null,
      ...(context.options.sessionGapMinutes !== undefined ? { sessionGapMinutes: context.options.sessionGapMinutes } : {}),
      ...(context.options.margin !== undefined ? { margin: context.options.margin } : {}),
    });
    context.results.events = summary;
    const { stitching, buyerTypes, prospects } = summary;
    return `${count(stitching.sessions)} sessions (${count(stitching.sessionsStitched)} stitched), ${count(buyerTypes.customers.impulsive)} impulsive / ${count(buyerTypes.customers.deliberate)} deliberate buyers, ${count(prospects.prospects)} prospects`;
  },
};
