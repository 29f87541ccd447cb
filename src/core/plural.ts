import { groupThousands } from './group-thousands.js';

/**
 * A count with its noun in agreement, the count grouped by thousands: `plural(1, 'customer')` → `1 customer`,
 * `plural(1234, 'customer')` → `1,234 customers`; `many` for a noun not made plural by an s.
 */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${groupThousands(n)} ${n === 1 ? noun : many}`;
}
