export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Deterministic JSON for hashing: object keys sorted by UTF-16 code units
 * (recursively), no whitespace, numbers as `JSON.stringify` writes them.
 * Throws `TypeError` on what JSON cannot round-trip (undefined, functions,
 * non-finite numbers, bigint, non-plain objects), so two equal values always
 * hash the same and an unhashable value is never silently dropped.
 *
 * Example: `canonicalJson({ b: 1, a: [true, null] })` → `'{"a":[true,null],"b":1}'`
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not representable in JSON`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalJson: ${proto?.constructor?.name ?? 'object'} is not a plain object`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${typeof value} is not representable in JSON`);
  }
}
