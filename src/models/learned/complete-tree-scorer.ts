/**
 * Trees of bounded depth laid out as complete binary trees in typed arrays,
 * for scoring without a branch per node (the implicit layout of a binary
 * heap; "prediction instead of branching" as in Asadi, Lin & de Vries 2014,
 * "Runtime optimizations for tree-based machine learning models", IEEE TKDE
 * 26(9)).
 *
 * A tree of depth D becomes 2^D − 1 internal slots and 2^D leaf slots: slot s
 * has children 2s + 1 (left) and 2s + 2 (right), so every row takes exactly D
 * steps s ← 2s + 1 + [v > threshold_s] and lands on leaf slot s − (2^D − 1).
 * A leaf of the fitted tree above depth D is padded: its slot (and the slots
 * below it on the left) become splits that send every row left (threshold
 * +∞) and its value fills the leaf slots below it.
 *
 * Missing values need no test per node: the scoring block holds each feature
 * twice, once with NaN read as +∞ (for splits that send missing values right)
 * and once as −∞ (for splits that send them left; only features that have such
 * splits get the second copy), and each split reads the copy of its
 * direction. Thresholds are finite (midpoints of training values) or
 * Number.MAX_VALUE, so v > threshold decides as the fitted tree does (v ≤
 * threshold goes left; ±∞ in the data keep their sides). Every row adds the
 * same leaf values in the same tree order: raw scores equal the plain node
 * walk's bit for bit.
 *
 * Rows are scored a block at a time (BLOCK_ROWS rows copied row-major, every
 * tree of an output over the block, tree-major: the block and one tree's slots
 * stay in cache), eight rows interleaved so that eight independent chains of
 * loads overlap.
 */
import type { RegressionTree } from './grow-tree.js';

/** Deepest tree laid out completely (2^D leaf slots); deeper models use the node walk. */
export const MAX_COMPLETE_DEPTH = 10;
/** rows scored together (128 rows × ≤ 80 columns × 8 bytes ≤ 80 KiB: the L2 cache) */
const BLOCK_ROWS = 128;

export interface CompleteTrees {
  /** per output: the trees' depths, internal-slot offsets and leaf-slot offsets */
  readonly depth: readonly Int32Array[];
  readonly nodeOffset: readonly Int32Array[];
  readonly leafOffset: readonly Int32Array[];
  /** per internal slot: the block column it reads (feature f, NaN as +∞; or features + leftCopy[f], NaN as −∞) */
  readonly column: Int32Array;
  readonly threshold: Float64Array;
  readonly leafValue: Float64Array;
  /** the features read with NaN as −∞ (missing goes left), in block-column order after the first `features` columns */
  readonly leftCopies: Int32Array;
  readonly features: number;
}

/** Depth of a fitted tree (0 for a single leaf). */
export function treeDepth(tree: RegressionTree): number {
  const depth = new Int32Array(tree.feature.length); // nodes are stored parents first
  let deepest = 0;
  for (let i = 0; i < tree.feature.length; i++) {
    if (tree.feature[i]! < 0) continue;
    depth[tree.left[i]!] = depth[tree.right[i]!] = depth[i]! + 1;
    deepest = Math.max(deepest, depth[i]! + 1);
  }
  return deepest;
}

/**
 * The complete layout of every tree (trees[round][output]) over `features` columns; null when a tree
 * is deeper than MAX_COMPLETE_DEPTH or a threshold is NaN or −∞ (then the node walk scores).
 */
export function layOutCompleteTrees(trees: readonly (readonly RegressionTree[])[], outputs: number, features: number): CompleteTrees | null {
  const depth = Array.from({ length: outputs }, () => new Int32Array(trees.length));
  const nodeOffset = Array.from({ length: outputs }, () => new Int32Array(trees.length));
  const leafOffset = Array.from({ length: outputs }, () => new Int32Array(trees.length));
  const leftCopy = new Int32Array(features).fill(-1);
  let nodes = 0, leaves = 0, copies = 0;
  for (let r = 0; r < trees.length; r++) {
    for (let k = 0; k < outputs; k++) {
      const tree = trees[r]![k]!;
      const d = treeDepth(tree);
      if (d > MAX_COMPLETE_DEPTH) return null;
      for (let i = 0; i < tree.feature.length; i++) {
        const f = tree.feature[i]!;
        if (f < 0) continue;
        if (!(tree.threshold[i]! > -Infinity) || f >= features) return null;
        if (tree.missingLeft[i] && leftCopy[f]! < 0) leftCopy[f] = copies++;
      }
      depth[k]![r] = d;
      nodeOffset[k]![r] = nodes;
      leafOffset[k]![r] = leaves;
      nodes += (1 << d) - 1;
      leaves += 1 << d;
    }
  }
  const column = new Int32Array(nodes);
  const threshold = new Float64Array(nodes).fill(Infinity);
  const leafValue = new Float64Array(leaves);
  for (let r = 0; r < trees.length; r++) {
    for (let k = 0; k < outputs; k++) {
      const tree = trees[r]![k]!;
      const d = depth[k]![r]!, base = nodeOffset[k]![r]!, leafBase = leafOffset[k]![r]!;
      const internal = (1 << d) - 1;
      // (fitted node, complete slot) pairs
      const stack: [number, number][] = [[0, 0]];
      while (stack.length > 0) {
        const [node, slot] = stack.pop()!;
        const f = tree.feature[node]!;
        if (f >= 0) {
          column[base + slot] = tree.missingLeft[node] ? features + leftCopy[f]! : f;
          threshold[base + slot] = tree.threshold[node]!;
          stack.push([tree.left[node]!, 2 * slot + 1], [tree.right[node]!, 2 * slot + 2]);
        } else {
          // a leaf above depth D: rows go on left to the first leaf slot below it (it fills all of them)
          let first = slot, span = 1;
          while (first < internal) (first = 2 * first + 1), (span *= 2);
          leafValue.fill(tree.value[node]!, leafBase + first - internal, leafBase + first - internal + span);
        }
      }
    }
  }
  const leftCopies = new Int32Array(copies);
  leftCopy.forEach((c, f) => c >= 0 && (leftCopies[c] = f));
  return { depth, nodeOffset, leafOffset, column, threshold, leafValue, leftCopies, features };
}

/** Adds every tree's leaf values to raw (output-major: raw[k·rows + i]), which holds the initial scores. */
export function scoreCompleteTrees(layout: CompleteTrees, columns: readonly Float64Array[], rows: number, raw: Float64Array): void {
  const { column, threshold, leafValue, leftCopies, features } = layout;
  const width = features + leftCopies.length;
  const block = new Float64Array(BLOCK_ROWS * width);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, rows - start);
    for (let f = 0; f < features; f++) {
      const values = columns[f]!;
      for (let i = 0, j = f; i < n; i++, j += width) {
        const v = values[start + i]!;
        block[j] = v === v ? v : Infinity;
      }
    }
    for (let c = 0; c < leftCopies.length; c++) {
      const values = columns[leftCopies[c]!]!;
      for (let i = 0, j = features + c; i < n; i++, j += width) {
        const v = values[start + i]!;
        block[j] = v === v ? v : -Infinity;
      }
    }
    for (let k = 0; k < layout.depth.length; k++) {
      const depths = layout.depth[k]!, nodeOffsets = layout.nodeOffset[k]!, leafOffsets = layout.leafOffset[k]!;
      const out = k * rows + start;
      for (let t = 0; t < depths.length; t++) {
        const d = depths[t]!, base = nodeOffsets[t]!, leafBase = leafOffsets[t]! - ((1 << d) - 1);
        let i = 0;
        // 8 rows at a time: 8 independent chains of dependent loads keep the core busy
        for (; i + 8 <= n; i += 8) {
          const r0 = i * width, r1 = r0 + width, r2 = r1 + width, r3 = r2 + width, r4 = r3 + width, r5 = r4 + width, r6 = r5 + width, r7 = r6 + width;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
          for (let step = 0; step < d; step++) {
            const n0 = base + s0, n1 = base + s1, n2 = base + s2, n3 = base + s3, n4 = base + s4, n5 = base + s5, n6 = base + s6, n7 = base + s7;
            s0 = 2 * s0 + 1 + +(block[r0 + column[n0]!]! > threshold[n0]!);
            s1 = 2 * s1 + 1 + +(block[r1 + column[n1]!]! > threshold[n1]!);
            s2 = 2 * s2 + 1 + +(block[r2 + column[n2]!]! > threshold[n2]!);
            s3 = 2 * s3 + 1 + +(block[r3 + column[n3]!]! > threshold[n3]!);
            s4 = 2 * s4 + 1 + +(block[r4 + column[n4]!]! > threshold[n4]!);
            s5 = 2 * s5 + 1 + +(block[r5 + column[n5]!]! > threshold[n5]!);
            s6 = 2 * s6 + 1 + +(block[r6 + column[n6]!]! > threshold[n6]!);
            s7 = 2 * s7 + 1 + +(block[r7 + column[n7]!]! > threshold[n7]!);
          }
          raw[out + i + 0]! += leafValue[leafBase + s0]!;
          raw[out + i + 1]! += leafValue[leafBase + s1]!;
          raw[out + i + 2]! += leafValue[leafBase + s2]!;
          raw[out + i + 3]! += leafValue[leafBase + s3]!;
          raw[out + i + 4]! += leafValue[leafBase + s4]!;
          raw[out + i + 5]! += leafValue[leafBase + s5]!;
          raw[out + i + 6]! += leafValue[leafBase + s6]!;
          raw[out + i + 7]! += leafValue[leafBase + s7]!;
        }
        for (; i < n; i++) {
          const rowBase = i * width;
          let slot = 0;
          for (let step = 0; step < d; step++) slot = 2 * slot + 1 + +(block[rowBase + column[base + slot]!]! > threshold[base + slot]!);
          raw[out + i]! += leafValue[leafBase + slot]!;
        }
      }
    }
  }
}
