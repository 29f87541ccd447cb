/**
 * A stage of an analysis run: a name, the warehouse tables it reads and
 * writes, and `run`. Stages talk to the warehouse through the `Warehouse`
 * interface only, so one list of stages serves the CLI, a server and any
 * engine. `runStages` executes them in order and records their timings.
 *
 * Example: `{ name: 'summary', reads: ['transactions'], writes: ['customer_summary'], run: async (c) => { … return '4,338 customers' } }`
 */
export interface Stage<C> {
  readonly name: string;
  /** warehouse tables read (documentation and ordering checks; `transactions`, `customer_summary`, …) */
  readonly reads: readonly string[];
  /** warehouse tables written */
  readonly writes: readonly string[];
  /** the tables of `writes` this run wrote, when not all of them (decided after `run`; default `writes`) */
  readonly wrote?: (context: C) => readonly string[];
  /** true: the stage does not run and reports no progress (decided when its turn comes) */
  readonly skip?: (context: C) => boolean;
  /** does the work; the returned text is the progress detail */
  readonly run: (context: C) => Promise<string | void>;
}
