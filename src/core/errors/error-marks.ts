/**
 * Values kept with thrown errors of any kind, without wrapping or changing them (a WeakMap: an error thrown is any
 * object; a thrown non-object is never marked): where an ingest stopped (name-files-added.ts), which signal stopped a
 * command (interrupt-signal.ts).
 *
 * Example: `const stops = errorMarks<string>(); throw stops.mark(error, 'b.csv')`, later `stops.of(error)` → `'b.csv'`
 */
export function errorMarks<T>(): { mark<E>(error: E, value: T): E; of(error: unknown): T | null } {
  const marks = new WeakMap<object, T>();
  const isObject = (error: unknown): error is object => typeof error === 'object' && error !== null;
  return {
    mark(error, value) {
      if (isObject(error)) marks.set(error, value);
      return error;
    },
    of: (error) => (isObject(error) ? marks.get(error) ?? null : null),
  };
}
