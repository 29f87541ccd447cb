/** Balanced accuracy of two-class predictions: the mean of the recall of each class (a prediction outside both classes counts as wrong). */
export function balancedAccuracy(pairs: readonly { truth: string; predicted: string }[], a: string, b: string): number {
  const recall = (cls: string) => {
    const of = pairs.filter((p) => p.truth === cls);
    return of.filter((p) => p.predicted === cls).length / of.length;
  };
  return (recall(a) + recall(b)) / 2;
}
