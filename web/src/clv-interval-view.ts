import { clvIntervalWords } from '../../src/core/clv-interval-words.js';
import { formatMoney } from '../../src/report/format-number.js';

/** The customer 360's predicted value tile note: its 90% interval in the words `clvkit customer` uses (none without one). */
export function clvIntervalNote(low: unknown, high: unknown): { note?: string } {
  return typeof low === 'number' && typeof high === 'number' ? { note: clvIntervalWords(low, high, formatMoney) } : {};
}
