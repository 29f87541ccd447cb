/**
 * The import graph of src/, read with node:fs and a regular expression (no
 * TypeScript needed): every relative `import … from`, `import type … from`,
 * `export … from`, side-effect `import '…'` and dynamic `import('…')` is an
 * edge, type-only imports included. Paths are relative to src/ and keep their
 * `.ts` extension (`privacy/keys/keyring.ts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** `import type` / `export type`: erased at run time, still a dependency */
  readonly typeOnly: boolean;
}

export interface ImportGraph {
  /** every .ts file under src/, sorted */
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
  /** line count per file */
  readonly lines: ReadonlyMap<string, number>;
}

const STATIC_IMPORT = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"\n]+)['"]/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;

function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTsFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Comments removed (a `// import x from 'y'` in a doc comment is not an edge); strings are kept. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** The relative specifiers a file imports, with whether each is type-only. */
export function readImports(text: string): { specifier: string; typeOnly: boolean }[] {
  const source = stripComments(text);
  const out: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(STATIC_IMPORT)) out.push({ specifier: m[3], typeOnly: m[2] !== undefined });
  for (const m of source.matchAll(DYNAMIC_IMPORT)) out.push({ specifier: m[1], typeOnly: false });
  return out.filter((i) => i.specifier.startsWith('.'));
}

export function readImportGraph(srcDir: string): ImportGraph {
  const toKey = (path: string) => relative(srcDir, path).split(sep).join(posix.sep);
  const paths = listTsFiles(srcDir).sort();
  const files = paths.map(toKey);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  const lines = new Map<string, number>();
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    const from = toKey(path);
    lines.set(from, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
    for (const { specifier, typeOnly } of readImports(text)) {
      const to = toKey(join(dirname(path), specifier.replace(/\.js$/, '.ts')));
      if (!known.has(to)) throw new Error(`${from} imports ${specifier}, which is not a file in src/`);
      edges.push({ from, to, typeOnly });
    }
  }
  return { files, edges, lines };
}

/**
 * Every cycle of the graph, each as a chain `a → b → … → a`, found by
 * Tarjan's strongly connected components: one shortest cycle is reported per
 * component, so a knot of files shows up once.
 */
export function findImportCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>(graph.files.map((f) => [f, []]));
  for (const e of graph.edges) if (!next.get(e.from)!.includes(e.to)) next.get(e.from)!.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = next.get(v)!.includes(v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const f of graph.files) if (!index.has(f)) visit(f);
  return components.map((component) => shortestCycle(component.sort()[0], new Set(component), next));
}

/** The shortest chain from `start` back to itself inside one component (breadth-first). */
function shortestCycle(start: string, inside: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of next.get(v)!) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const chain = [start];
        for (let u = v; u !== start; u = parent.get(u)!) chain.splice(1, 0, u);
        return [...chain, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
