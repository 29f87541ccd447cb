/**
 * What `withoutServerPaths` makes of the paths a failed run's error and hint may name (run-error-words.ts): each
 * place in words, an API route left as it is, the sentence's punctuation kept.
 */
import { describe, expect, it } from 'vitest';
import { withoutServerPaths } from '../../src/server/runs/run-error-words.js';

const places = { runDir: '/srv/data/shop.duckdb.runs/r1', runsDir: '/srv/data/shop.duckdb.runs', db: '/srv/data/shop.duckdb' };

describe("a failed run's message names no server path", () => {
  it.each([
    ['cannot write /srv/data/shop.duckdb.runs/r1/report.html: permission denied', "cannot write the run's report.html: permission denied"],
    ['cannot create the folder /srv/data/shop.duckdb.runs/r1: permission denied', "cannot create the run's folder: permission denied"],
    ['check who may read and write it and its folders (ls -ld /srv/data/shop.duckdb.runs/r1/customers.csv), or use a path you have access to', "check who may read and write it and its folders (ls -ld the run's customers.csv), or use a path you have access to"],
    ['/srv/data/shop.duckdb.runs/r2/customers.csv is being written by process 12', "a path in the server's runs folder is being written by process 12"],
    ['IO Error: Could not read file "/srv/data/shop.duckdb.wal": disk I/O', 'IO Error: Could not read file "a file of the server\'s warehouse": disk I/O'],
    ['no space left on the disk (writing /srv/data/shop.duckdb)', "no space left on the disk (writing the server's warehouse)"],
    ['cannot open /tmp/clvkit-x/orders.csv. Try again', 'cannot open a path on the server. Try again'],
    ['send orders first: POST /api/orders', 'send orders first: POST /api/orders'],
    ['3 customers in the data: fewer than 5 (1/2 of them bought twice)', '3 customers in the data: fewer than 5 (1/2 of them bought twice)'],
  ])('%s', (text, said) => {
    expect(withoutServerPaths(text, places)).toBe(said);
  });
});
