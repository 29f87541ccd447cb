import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWords } from '../../src/core/run-words.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { holdoutCoversDataError } from '../../src/pipeline/value-holdout.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openTestServer, runToEnd, type TestServer } from '../server/server-fixture.js';

// A user trial: `clvkit analyze --grain order` on one month of orders failed with "BG/NBD: no customers (total weight
// 0) (hint: check the calibration period filter)", which reads like an internal error. The default holdout (a third
// of the span, at least 28 days) covered the whole month, so the value models were fitted on an empty calibration
// window. The run now says so, and names the setting that fixes it in the words of the front end that started it.
const DEFAULT_MESSAGE = 'the value models are chosen on a holdout of the last 28 days (the default: a third of the span, 28 to 365 days), but the data span 28 days from the first purchase to the as-of date 2022-01-29: no purchase is left before the holdout to fit them on';

describe('a holdout that covers the whole span: one line saying so, with the setting to change', () => {
  const window = { spanDays: 28, holdoutDays: 28, given: false, defaultHoldoutDays: 28, asOf: '2022-01-29' };

  it('the default holdout, in the CLI words and the API words', () => {
    expect(holdoutCoversDataError(window, runWords(false))).toMatchObject({ message: DEFAULT_MESSAGE, hint: 'pass --holdout-days below 28 (e.g. --holdout-days 9), analyse a longer history or pass --skip-models to analyse without the value models' });
    expect(holdoutCoversDataError(window, runWords(true))).toMatchObject({ message: DEFAULT_MESSAGE, hint: 'send holdoutDays below 28 (e.g. "holdoutDays": 9) or analyse a longer history' });
  });

  it('a holdout given: "leave it out" only when the default would fit (it was said when the default covered the span too)', () => {
    expect(holdoutCoversDataError({ ...window, holdoutDays: 40, given: true }, runWords(false))).toMatchObject({
      message: '--holdout-days 40 is not shorter than the data: 28 days from the first purchase to the as-of date 2022-01-29, so nothing is left to fit the models on',
      hint: 'pass --holdout-days below 28 (e.g. --holdout-days 9), analyse a longer history or pass --skip-models to analyse without the value models',
    });
    expect(holdoutCoversDataError({ ...window, spanDays: 300, holdoutDays: 300, given: true, defaultHoldoutDays: 100 }, runWords(true))!.hint).toBe('send holdoutDays below 300, or leave it out (the default here is 100: a third of the span, 28 to 365 days)');
  });

  it('purchases on one day: no holdout fits', () => {
    expect(holdoutCoversDataError({ ...window, spanDays: 0, asOf: '2022-01-01' }, runWords(true))).toMatchObject({
      message: 'the value models are chosen on a holdout of the last 28 days (the default: a third of the span, 28 to 365 days), but the data span 0 days from the first purchase to the as-of date 2022-01-01: no purchase is left before the holdout to fit them on',
      hint: 'the value models need purchases on two days at least: analyse a longer history',
    });
  });

  it('a holdout shorter than the span: none', () => {
    expect(holdoutCoversDataError({ ...window, holdoutDays: 27, given: true }, runWords(false))).toBeNull();
  });
});

describe('one month of orders (300 customers, 2022-01-01 … 2022-01-29)', () => {
  let dir: string;
  let file: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = scratchDir('clvkit-holdout-covers-data-');
    await generateShop({ outDir: dir, customers: 300, seed: 42, days: 30, events: false });
    file = join(dir, 'transactions.csv');
    server = await openTestServer();
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  }, 120_000);
  afterAll(async () => server?.close());

  it('clvkit analyze --grain order: exit 2 with one line and a hint naming --holdout-days (it was "BG/NBD: no customers (total weight 0)"); the hint\'s holdout runs', async () => {
    const failed = await cli(['analyze', file, '--grain', 'order', '--out', join(dir, 'out'), '--skip-patterns', '--skip-report', '--quiet']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`clvkit: error: ${DEFAULT_MESSAGE} (hint: pass --holdout-days below 28 (e.g. --holdout-days 9), analyse a longer history or pass --skip-models to analyse without the value models)\n`);
    const fixed = await cli(['analyze', file, '--grain', 'order', '--holdout-days', '9', '--out', join(dir, 'fixed'), '--skip-patterns', '--skip-report', '--quiet', '--json']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((JSON.parse(fixed.stdout) as { valueModel: { calibrationEnd: string } }).valueModel.calibrationEnd).toBe('2022-01-20');
    // the 9-day holdout is warned about as too short to choose on (short-holdout-weak-model-choice-warned.test.ts), and
    // the warning does not send the user back to the 28 days refused above: a longer history is the way
    const short = (JSON.parse(fixed.stdout) as { warnings: string[] }).warnings.filter((w) => w.startsWith('the value model is chosen on a 9-day holdout (2022-01-21 → 2022-01-29)'));
    expect(short).toHaveLength(1);
    expect(short[0]).toMatch(/so the choice is weak; a longer history \(a holdout of 28 days, the shortest default, leaves none of these data before it\) gives it more to go on$/);
  }, 120_000);

  it('POST /api/runs {"grain": "order"}: the run fails naming holdoutDays as the API takes it; the hint\'s body runs', async () => {
    const analyst = await server.login('analyst');
    const { view } = await runToEnd(server, analyst, { grain: 'order', skipPatterns: true, skipReport: true });
    expect(view).toMatchObject({ status: 'failed', error: DEFAULT_MESSAGE, hint: 'send holdoutDays below 28 (e.g. "holdoutDays": 9) or analyse a longer history' });
    const fixed = await runToEnd(server, analyst, { grain: 'order', holdoutDays: 9, skipPatterns: true, skipReport: true });
    expect(fixed.view.status, fixed.view.error ?? '').toBe('finished');
  }, 120_000);
});
