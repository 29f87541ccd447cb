import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { inspectSource } from '../../ingest/inspect-source.js';
import type { FittedModel } from '../../models/model-types.js';
import type { PurchaseModelName } from '../../models/btyd/purchase-models.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openDuckDbWarehouse = lazyFunction(() => import('../../engine/duckdb-warehouse.js'), 'openDuckDbWarehouse');
/** the model code, imported when a fit runs */
const loadModels = async () => ({
  ...(await import('../../models/btyd/purchase-models.js')),
  ...(await import('../../models/spend/gamma-gamma.js')),
  ...(await import('../../models/btyd/bgbb.js')),
  ...(await import('../../models/compress-rfm.js')),
});

export const FIT_MODELS = ['bgnbd', 'mbgnbd', 'paretonbd', 'bgbb', 'gammagamma'] as const;
type FitModelName = (typeof FIT_MODELS)[number];

interface FitFlags {
  model: FitModelName;
  timeUnit: string;
  penalty: string;
  json?: boolean;
}

/** The fit result as the CLI prints it. */
export function fitResultJson(model: string, fitted: FittedModel, timeUnit: string | null): Record<string, unknown> {
  return {
    model,
    timeUnit,
    params: fitted.params,
    logLikelihood: fitted.logLikelihood,
    n: fitted.n,
    converged: fitted.fit.converged,
    iterations: fitted.fit.iterations,
    gradientNorm: fitted.fit.gradientNorm,
    message: fitted.fit.message,
    stdErrors: fitted.stdErrors,
    intervals95: fitted.intervals95,
    aic: fitted.aic,
    bic: fitted.bic,
    penalty: fitted.penalty,
  };
}

async function readSummaryColumns(path: string): Promise<Record<string, Float64Array>> {
  inspectSource(path);
  const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
  try {
    const described = await warehouse.query(`DESCRIBE SELECT * FROM read_csv(${warehouse.dialect.literal(path)}, header = true)`);
    const names = described.map((row) => String(row.column_name));
    const pick = (...candidates: string[]) => names.find((n) => candidates.includes(n.toLowerCase()));
    const wanted: Record<string, string | undefined> = {
      frequency: pick('frequency', 'x'),
      recency: pick('recency', 't_x', 'tx'),
      T: names.find((n) => n === 'T') ?? pick('t', 'age'),
      monetary: pick('monetary_value', 'monetary', 'm'),
      periods: pick('periods', 'n', 'opportunities'),
      weight: pick('count', 'weights', 'weight', 'n_customers'),
    };
    const selected = Object.entries(wanted).filter(([, column]) => column !== undefined);
    const columns: Record<string, Float64Array> = {};
    Object.defineProperty(columns, '__found', { value: names.join(', '), enumerable: false });
    if (selected.length === 0) return columns;
    const result = await warehouse.queryColumns(
      `SELECT ${selected.map(([role, column]) => `TRY_CAST(${warehouse.dialect.identifier(column!)} AS DOUBLE) AS ${role}`).join(', ')} FROM read_csv(${warehouse.dialect.literal(path)}, header = true)`,
    );
    for (const [role] of selected) columns[role] = result.columns[role] as Float64Array;
    return columns;
  } finally {
    await warehouse.close();
  }
}

export function fitCommand(io: CliIo): Command {
  return new Command('fit')
    .description('fit one value model on a customer summary file (the output of clvkit summarize, or lifetimes-style columns)')
    .argument('<summary>', 'CSV with frequency, recency, T (+ monetary_value for gammagamma; frequency, recency, periods for bgbb; optional count/weights per row)')
    .addOption(new Option('--model <model>', 'bgnbd, mbgnbd, paretonbd, bgbb (discrete opportunities) or gammagamma').choices([...FIT_MODELS]).makeOptionMandatory())
    .option('--time-unit <unit>', 'the time unit of recency and T (recorded in the output)', 'week')
    .option('--penalty <l2>', 'L2 penalty on the parameters (lifetimes penalizer_coef)', '0')
    .option('--json', 'print the result as JSON')
    .action(async (summary: string, flags: FitFlags) => {
      const { PURCHASE_MODELS, fitGammaGamma, fitBgBb, withPositiveAge } = await loadModels();
      const penalty = Number(flags.penalty);
      if (!(penalty >= 0)) throw new UserError(`--penalty ${flags.penalty} is not a number ≥ 0`, 'e.g. --penalty 0.001');
      const columns = await readSummaryColumns(summary);
      const found = (columns as unknown as { __found: string }).__found;
      const need = flags.model === 'gammagamma' ? ['frequency', 'monetary'] : flags.model === 'bgbb' ? ['frequency', 'recency', 'periods'] : ['frequency', 'recency', 'T'];
      for (const role of need) {
        if (!columns[role]) throw new UserError(`${summary} has no ${role === 'monetary' ? 'monetary_value' : role} column (columns found: ${found})`, 'write it with clvkit summarize, or name the columns frequency, recency, T, monetary_value');
      }
      // rows the model cannot use (a value missing, not a number or negative) are left out, and said so
      const rows = columns.frequency!.length;
      const usable = Array.from({ length: rows }, (_, i) => i).filter((i) => need.every((role) => Number.isFinite(columns[role]![i]) && columns[role]![i]! >= 0) && (columns.weight ? Number.isFinite(columns.weight[i]) && columns.weight[i]! >= 0 : true));
      const rowsSkipped = rows - usable.length;
      if (rowsSkipped > 0) {
        for (const role of Object.keys(columns)) columns[role] = Float64Array.from(usable, (i) => columns[role]![i]!);
      }
      const n = usable.length;
      if (n === 0) throw new UserError(`${summary}: no row has usable values (all ${rows} have a missing, non-numeric or negative value)`, 'write the summary with clvkit summarize');
      const weight = columns.weight ?? new Float64Array(n).fill(1);
      let fitted: FittedModel;
      if (flags.model === 'gammagamma') {
        const keep = Array.from({ length: n }, (_, i) => i).filter((i) => columns.frequency![i]! > 0 && columns.monetary![i]! > 0);
        fitted = fitGammaGamma({ frequency: Float64Array.from(keep, (i) => columns.frequency![i]!), monetary: Float64Array.from(keep, (i) => columns.monetary![i]!), weight: Float64Array.from(keep, (i) => weight[i]!) }, { penalty });
      } else if (flags.model === 'bgbb') {
        fitted = fitBgBb({ frequency: columns.frequency!, recency: columns.recency!, periods: columns.periods!, weight }, { penalty });
      } else {
        const data = withPositiveAge({ frequency: columns.frequency!, recency: columns.recency!, T: columns.T!, weight });
        fitted = PURCHASE_MODELS[flags.model as PurchaseModelName].fit(data, { penalty });
      }
      const result = { ...fitResultJson(flags.model, fitted, flags.model === 'gammagamma' ? null : flags.model === 'bgbb' ? 'opportunity' : flags.timeUnit), rowsRead: rows, rowsSkipped };
      if (rowsSkipped > 0) io.stderr.write(`clvkit: warning: ${rowsSkipped} of ${rows} rows skipped: a value of ${need.map((r) => (r === 'monetary' ? 'monetary_value' : r)).join(', ')} missing, not a number or negative\n`);
      if (flags.json) {
        io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      } else {
        const lines = [`${flags.model}: ${fitted.fit.converged ? 'converged' : 'NOT CONVERGED'} — ${fitted.fit.message}`];
        for (const [name, value] of Object.entries(fitted.params)) {
          const [lo, hi] = (fitted.intervals95 as Record<string, readonly [number, number]>)[name]!;
          lines.push(`  ${name.padEnd(6)} ${value.toPrecision(5).padStart(12)}  (se ${fitted.stdErrors[name]!.toPrecision(3)}, 95% ${lo.toPrecision(4)} … ${hi.toPrecision(4)})`);
        }
        lines.push(`  log-likelihood ${fitted.logLikelihood.toFixed(2)}, n ${fitted.n}, AIC ${fitted.aic.toFixed(1)}, BIC ${fitted.bic.toFixed(1)}`);
        io.stdout.write(lines.join('\n') + '\n');
      }
      if (!fitted.fit.converged) io.stderr.write(`clvkit: warning: the fit did not converge: ${fitted.fit.message}\n`);
    });
}
