import type { RfmData } from '../model-types.js';

/**
 * Customers drawn from a purchase model (`simulateBgNbd`, `simulateMbgNbd`,
 * `simulateParetoNbd`): their calibration data, plus whether each was still
 * alive at the end of their window T, so that a simulated population's share
 * alive can be set against the model's mean P(alive | x, t_x, T).
 */
export interface SimulatedRfmData extends RfmData {
  /** 1 when the customer is alive at T, 0 when they have dropped out by T */
  readonly alive: Uint8Array;
}
