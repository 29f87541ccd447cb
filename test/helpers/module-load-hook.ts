/**
 * A node `--import` module that registers a resolve hook reporting every module URL a process loads through stderr,
 * one `loaded <url>` line each (node: built-ins left out): how cli-start-up and csv-ingest-loads-no-exceljs check
 * what a child process loads, without timing it.
 *
 * Example: `spawnSync(process.execPath, ['--import', 'tsx', '--import', MODULE_LOAD_HOOK, …])`, then the stderr lines
 * starting with `loaded `.
 */
export const MODULE_LOAD_HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!result.url.startsWith('node:')) process.stderr.write('loaded ' + result.url + '\\\\n');
  return result;
}\`));
`)}`;
