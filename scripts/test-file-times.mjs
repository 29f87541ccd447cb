/**
 * A vitest reporter: what each test file cost, hooks included, largest first —
 * where the suite's time goes. vitest's JSON reporter gives files the wrong
 * times under `isolate: false` (a batch of files shares one start; some read
 * 1 ms), and the sum of their tests leaves out `beforeAll`, which is most of
 * the cost of the files that analyse a shop once for all their tests.
 *
 *   npx vitest run [files…] --reporter=default --reporter=./scripts/test-file-times.mjs
 *
 * Prints the 40 costliest files when the run ends (seconds: the file's whole
 * run, its tests alone, its import); `TEST_FILE_TIMES=FILE` also appends one
 * JSON line per file to FILE.
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';

export default class TestFileTimes {
  files = [];

  onTestModuleEnd(module) {
    const diagnostic = module.diagnostic();
    let tests = 0;
    for (const test of module.children.allTests()) tests += test.diagnostic()?.duration ?? 0;
    const row = { file: relative(process.cwd(), module.moduleId), seconds: diagnostic.duration / 1000, tests: tests / 1000, import: diagnostic.collectDuration / 1000 };
    this.files.push(row);
    if (process.env.TEST_FILE_TIMES) appendFileSync(process.env.TEST_FILE_TIMES, `${JSON.stringify(row)}\n`);
  }

  onTestRunEnd() {
    const files = this.files.sort((a, b) => b.seconds - a.seconds);
    const total = files.reduce((sum, f) => sum + f.seconds, 0);
    const lines = files.slice(0, 40).map((f) => `${f.seconds.toFixed(1).padStart(7)} ${f.tests.toFixed(1).padStart(7)} ${f.import.toFixed(1).padStart(6)}  ${f.file}`);
    process.stdout.write(`\ncost per test file (s; ${files.length} files, ${total.toFixed(0)} s in all; the 40 costliest)\n   file   tests import\n${lines.join('\n')}\n`);
  }
}
