/**
 * The edit distance of two strings (insertions, deletions and substitutions of one character), for a "did you mean".
 *
 * Example: `editDistance('shop', 'shpo')` → 2
 */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}

/**
 * The name among `names` that `sent` most likely meant: the same but for case, one inside the other (name →
 * username), or at most two edits away; null when none is.
 */
export function nearestName(sent: string, names: readonly string[]): string | null {
  const lower = sent.toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const other = name.toLowerCase();
    const distance = other === lower ? 0 : lower.length >= 3 && (other.includes(lower) || lower.includes(other)) ? 1 : editDistance(lower.slice(0, 64), other.slice(0, 64)); // short names: at most 64 characters compared
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}
