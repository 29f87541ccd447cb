import { describe, expect, it } from 'vitest';
import { queryCalibrationSpan } from '../../src/pipeline/honest-tournament.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

// The tournament decides whether the log has order values (and so whether the BTYD features include Gamma-Gamma
// spend) from the calibration window only: a value first seen in the holdout must not change the choice.
describe('queryCalibrationSpan', () => {
  it('reads the days and the valued purchases before the calibration end only', async () => {
    const w = await memoryWarehouse();
    try {
      await w.execute(`INSERT INTO transactions (customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES
        ('a', TIMESTAMP '2023-01-01 09:00:00', NULL, false, false, 1, 's', 1, 'h1'),
        ('b', TIMESTAMP '2023-03-31 23:00:00', NULL, false, false, 1, 's', 2, 'h2'),
        ('a', TIMESTAMP '2023-02-10 10:00:00', 5, true, false, 1, 's', 3, 'h3'),
        ('a', TIMESTAMP '2023-04-01 00:00:00', 12.5, false, false, 1, 's', 4, 'h4'),
        ('b', TIMESTAMP '2023-05-02 08:00:00', 7, false, false, 1, 's', 5, 'h5')`);
      // values only after 2023-03-31 (and on a return): none in the calibration window
      expect(await queryCalibrationSpan(w, '2023-03-31')).toEqual({ days: 89, valued: 0 });
      // one day later the first valued purchase is in
      expect(await queryCalibrationSpan(w, '2023-04-01')).toEqual({ days: 90, valued: 1 });
    } finally {
      await w.close();
    }
  });
});
