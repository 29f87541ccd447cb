/**
 * Top-N recommendations for every customer, CSR layout: customer c's list is
 * `items[offsets[c] .. offsets[c+1])`, best first, with `scores` alongside.
 * `fromFallback` marks slots filled by the popularity fallback (cold customers,
 * or too few model candidates); their score is the item's buyer share.
 */
import { UserError } from '../../core/errors/user-error.js';

export interface Recommendations {
  /** length nCustomers + 1 */
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  readonly scores: Float64Array;
  /** per slot: 1 when filled by the popularity fallback */
  readonly fromFallback: Uint8Array;
  readonly nCustomers: number;
  /** customers with no training history */
  readonly coldCustomers: number;
}

/** Customer c's recommended item ids, best first. */
export function recommendedItems(recommendations: Recommendations, customer: number): number[] {
  return Array.from(recommendations.items.subarray(recommendations.offsets[customer], recommendations.offsets[customer + 1]));
}

/** Fixed-capacity builder (at most n slots per customer). */
export class RecommendationsBuilder {
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  readonly scores: Float64Array;
  readonly fromFallback: Uint8Array;
  private customer = 0;
  length = 0;
  coldCustomers = 0;

  constructor(readonly nCustomers: number, readonly n: number) {
    this.offsets = new Uint32Array(nCustomers + 1);
    this.items = new Uint32Array(nCustomers * n);
    this.scores = new Float64Array(nCustomers * n);
    this.fromFallback = new Uint8Array(nCustomers * n);
  }

  /** Closes the current customer's list and moves to the next. */
  endCustomer(): void {
    this.customer++;
    this.offsets[this.customer] = this.length;
  }

  push(item: number, score: number, fallback: boolean): void {
    this.items[this.length] = item;
    this.scores[this.length] = score;
    this.fromFallback[this.length] = fallback ? 1 : 0;
    this.length++;
  }

  build(): Recommendations {
    return {
      offsets: this.offsets,
      items: this.items.slice(0, this.length),
      scores: this.scores.slice(0, this.length),
      fromFallback: this.fromFallback.slice(0, this.length),
      nCustomers: this.nCustomers,
      coldCustomers: this.coldCustomers,
    };
  }
}

/** Validates a list length: a positive integer, else `UserError`. */
export function checkListLength(n: number, what = 'n'): void {
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${what} must be a positive integer, got ${n}`, 'e.g. 10 recommendations per customer');
}
