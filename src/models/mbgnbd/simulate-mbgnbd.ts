/**
 * Simulate customers from the MBG/NBD model (Batislam, Denizel & Filiztekin
 * 2007, IJRM 24(3)): as BG/NBD, plus a dropout chance p right after the first
 * purchase (time 0). Seeded and reproducible.
 */
import type { SimulatedRfmData } from '../btyd/simulated-rfm-data.js';
import type { MbgNbdParams } from './mbgnbd.js';
import { simulateNbdDropoutCustomers, type SimulateBtydOptions } from '../bgnbd/simulate-bgnbd.js';

/** Draw customers from MBG/NBD with the given params; RfmData with weight 1 per customer and each one's alive flag at T. */
export function simulateMbgNbd(params: MbgNbdParams, options: SimulateBtydOptions): SimulatedRfmData {
  return simulateNbdDropoutCustomers(params, options, 'MBG/NBD', true);
}
