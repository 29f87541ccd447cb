/**
 * A failed run's error and hint as the API gives them: without the server's file-system paths. A run's failure may
 * name the files it was writing — its folder under `<db>.runs/`, beside the warehouse, whose path the server keeps
 * from every client (run.json says "the server's warehouse": publish-stage.ts) — or any other path on the server's
 * disk. Each is said in words instead; the server's log keeps the whole message with the run's id.
 */
import { escapeRegExp } from '../../core/escape-regexp.js';

/** Where a served run's paths lead: its folder, the runs folder it is in, the warehouse file. */
export interface ServerPlaces {
  /** the run's folder (`<db>.runs/<run id>`) */
  readonly runDir: string;
  /** the folder of the server's runs (`<db>.runs`) */
  readonly runsDir: string;
  /** the warehouse file */
  readonly db: string;
}

/** A character of a path (it ends at a space, a quote, a closing bracket or a comma). */
const PATH_CHAR = `[^\\s'"\`),\\]]`;

/** The characters a path runs on with after a known place. */
const PATH_REST = `${PATH_CHAR}*`;

/** A path that is no known place: an absolute path not at an API route (`POST /api/runs` is the API's, not the disk's). */
const OTHER_PATH = new RegExp(`(^|[\\s'"\`(=\\[])(/(?!api/)${PATH_CHAR}+)`, 'g');

/**
 * `text` with every server path in words: the run's folder (a file in it: `the run's report.html`), the server's runs
 * folder (a path in it: `a path in the server's runs folder`), the server's warehouse (its `.wal`, `.key`: `a file of
 * the server's warehouse`), any other absolute path `a path on the server`. Punctuation after a path (`:`, `.`)
 * stays; `the folder <path>` is said as the place.
 *
 * Example: `withoutServerPaths('cannot write /srv/shop.duckdb.runs/r1/report.html: permission denied', { runDir: '/srv/shop.duckdb.runs/r1', runsDir: '/srv/shop.duckdb.runs', db: '/srv/shop.duckdb' })`
 * → `"cannot write the run's report.html: permission denied"`
 */
export function withoutServerPaths(text: string, places: ServerPlaces): string {
  const known: readonly [string, (rest: string) => string][] = [
    [places.runDir, (rest) => (rest === '' || rest === '/' ? "the run's folder" : rest.startsWith('/') ? `the run's ${rest.slice(1)}` : 'a path on the server')],
    [places.runsDir, (rest) => (rest === '' || rest === '/' ? "the server's runs folder" : "a path in the server's runs folder")],
    [places.db, (rest) => (rest === '' ? "the server's warehouse" : "a file of the server's warehouse")],
  ];
  let said = text;
  // longest first: the run's folder is in the runs folder, whose name starts with the warehouse's
  for (const [place, words] of known) {
    if (place === '') continue;
    said = said.replace(new RegExp(`(?:the folder )?${escapeRegExp(place)}(${PATH_REST})`, 'g'), (_, rest: string) => {
      const end = trailing(rest);
      return `${words(rest.slice(0, rest.length - end.length))}${end}`;
    });
  }
  return said.replace(OTHER_PATH, (_, before: string, path: string) => `${before}a path on the server${trailing(path)}`);
}

/** The punctuation a path ends on that belongs to the sentence (`cannot open /x/y: …`). */
const trailing = (path: string) => /[.:;]*$/.exec(path)![0];
