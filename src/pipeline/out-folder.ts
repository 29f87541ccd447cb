import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeFolders } from '../core/make-folders.js';
import { checkOutputFolder } from '../core/output-paths.js';

/**
 * The output folder of a run (`--out`), created when missing, with the way to
 * take back what was created: `discard()` removes the folders this call made
 * (the folder, and parents `mkdir -p` made for it) while they are still
 * empty — a run that fails before writing a file leaves the file system as it
 * was, as a failed first ingest does (an existing folder is never removed).
 *
 * Example: `const out = openOutFolder('out/shop'); try { … } catch (e) { out.discard(); throw e; }`
 */
export function openOutFolder(outDir: string): { readonly path: string; discard(): void } {
  const path = resolve(outDir);
  checkOutputFolder(outDir, '--out'); // a file, a file on the way, no permission: one line, before anything is made
  const first = makeFolders(outDir, { flag: '--out' }); // the first folder it made, or undefined when the folder was there (never Node's recursive mkdir: it loops for ever under /proc)
  return {
    path,
    discard() {
      if (first === undefined) return;
      for (let folder = path; ; folder = dirname(folder)) {
        if (!existsSync(folder) || readdirSync(folder).length > 0) return;
        rmdirSync(folder);
        if (folder === resolve(first)) return;
      }
    },
  };
}
