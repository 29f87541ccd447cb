import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors/user-error.js';
import { parseWhereExpression, type WhereSource } from './parse-where-expression.js';

/** The documented default playbook shipped with clvkit (docs/actions.md explains every field). */
export const DEFAULT_PLAYBOOK_FILE = fileURLToPath(new URL('../../data/playbooks/default-playbook.json', import.meta.url));

/** Who is left out of a play's audience even when the filter matches. */
export interface SuppressionRules {
  /** bought in the last N days (0: no rule) */
  readonly recentlyBoughtDays?: number;
  /** the next order is expected (P50) within N days of the send date anyway */
  readonly nextOrderWithinDays?: number;
  /** treated in an audience sent in the N days before the send date or on it, or in the control group of a running campaign (`runningCampaigns`: never evaluated and sent in those N days, or evaluated over a window that reaches the send date) */
  readonly contactedWithinDays?: number;
  /** on the opt-out list (`clvkit playbook --opt-out FILE`) */
  readonly optedOut?: boolean;
}

export interface Play {
  readonly name: string;
  /** the audience filter (`parseWhereExpression`) */
  readonly where: string;
  readonly channel?: string;
  readonly offer?: string;
  readonly costPerContact: number;
  /** expected relative increase of a treated customer's predicted 12-month value (0.1 = +10%); replaced by a measured uplift when a campaign of the play was evaluated */
  readonly expectedLift: number;
  /** share of that value kept as margin */
  readonly expectedMargin: number;
  readonly holdout: number;
  /** days from the send date over which its campaign is to be measured (default 30): its control group is held back from other draws until then, unless evaluated sooner */
  readonly measureDays: number;
  readonly suppression: SuppressionRules;
}

export interface Playbook {
  readonly source: string;
  readonly description: string;
  readonly plays: readonly Play[];
}

const PLAY_KEYS = new Set(['name', 'where', 'channel', 'offer', 'costPerContact', 'expectedLift', 'expectedMargin', 'holdout', 'measureDays', 'suppression']);

/** A campaign's planned measurement window when the playbook or `audience create` does not say (days from the send date). */
export const DEFAULT_MEASURE_DAYS = 30;
const RULE_KEYS = new Set(['recentlyBoughtDays', 'nextOrderWithinDays', 'contactedWithinDays', 'optedOut']);

function number(value: unknown, where: string, { min = 0, max = Infinity, below = false } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (below ? value >= max : value > max)) {
    throw new UserError(`playbook ${where} is ${JSON.stringify(value)}, not a number in [${min}, ${max}${below ? ')' : ']'}`, 'fix the playbook file (docs/actions.md describes the fields)');
  }
  return value;
}

function rules(value: unknown, where: string): SuppressionRules {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`playbook ${where} is not an object`, 'e.g. "suppression": { "recentlyBoughtDays": 7 }');
  const out: Record<string, number | boolean> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!RULE_KEYS.has(key)) throw new UserError(`playbook ${where}.${key} is not a suppression rule`, `rules: ${[...RULE_KEYS].join(', ')}`);
    if (key === 'optedOut') {
      if (typeof v !== 'boolean') throw new UserError(`playbook ${where}.optedOut is not true or false`, 'e.g. "optedOut": true');
      out[key] = v;
    } else out[key] = Math.round(number(v, `${where}.${key}`, { max: 3650 }));
  }
  return out;
}

/**
 * Where a play's filter came from: the field `where` of the play in the playbook `source` (its file, or `default`),
 * named so in every refusal of the filter, wherever the playbook is run from (`playbook mine.json play win-back where: …`).
 */
export function playWhereSource(source: string, play: string): WhereSource {
  return { field: 'where', within: `playbook ${source} play ${play}` };
}

/**
 * Checks a playbook (parsed JSON) and fills each play from `defaults`:
 * every field is validated, every filter parsed (its columns are checked
 * against the catalogue when the play runs); a `UserError` names the play
 * and the field (a filter's refusal the playbook too: `playWhereSource`).
 *
 * Example: `parsePlaybook({ plays: [{ name: 'onboarding', where: "stage = 'new'", costPerContact: 0.1, expectedLift: 0.05 }] }, 'mine.json')`
 */
export function parsePlaybook(json: unknown, source: string): Playbook {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { plays?: unknown }).plays)) throw new UserError(`playbook ${source} has no "plays" list`, 'see data/playbooks/default-playbook.json for the layout');
  const raw = json as { description?: unknown; defaults?: Record<string, unknown>; plays: unknown[] };
  const defaults = raw.defaults ?? {};
  const names = new Set<string>();
  const plays = raw.plays.map((item, i): Play => {
    if (typeof item !== 'object' || item === null) throw new UserError(`playbook play ${i + 1} is not an object`, 'each play is { "name", "where", "costPerContact", "expectedLift", … }');
    const p = item as Record<string, unknown>;
    for (const key of Object.keys(p)) if (!PLAY_KEYS.has(key)) throw new UserError(`playbook play ${i + 1} has an unknown field ${key}`, `fields: ${[...PLAY_KEYS].join(', ')}`);
    if (typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,39}$/i.test(p.name)) throw new UserError(`playbook play ${i + 1}: name ${JSON.stringify(p.name)} is not valid`, 'letters, digits, _ and -, up to 40');
    if (names.has(p.name)) throw new UserError(`playbook play ${p.name} appears twice`, 'give every play its own name');
    names.add(p.name);
    if (typeof p.where !== 'string') throw new UserError(`playbook play ${p.name} has no "where" filter`, "e.g. \"where\": \"stage = 'new'\"");
    parseWhereExpression(p.where, playWhereSource(source, p.name));
    const at = `play ${p.name}`;
    return {
      name: p.name,
      where: p.where,
      ...(typeof p.channel === 'string' ? { channel: p.channel } : {}),
      ...(typeof p.offer === 'string' ? { offer: p.offer } : {}),
      costPerContact: number(p.costPerContact ?? defaults.costPerContact, `${at} costPerContact`),
      expectedLift: number(p.expectedLift ?? defaults.expectedLift, `${at} expectedLift`, { min: -1, max: 10 }),
      expectedMargin: number(p.expectedMargin ?? defaults.expectedMargin ?? 1, `${at} expectedMargin`, { max: 1 }),
      holdout: number(p.holdout ?? defaults.holdout ?? 0.1, `${at} holdout`, { min: 0.001, max: 1, below: true }),
      measureDays: Math.round(number(p.measureDays ?? defaults.measureDays ?? DEFAULT_MEASURE_DAYS, `${at} measureDays`, { min: 1, max: 3650 })),
      suppression: { ...rules(defaults.suppression, 'defaults.suppression'), ...rules(p.suppression, `${at} suppression`) },
    };
  });
  if (plays.length === 0) throw new UserError(`playbook ${source} has no plays`, 'add at least one play');
  return { source, description: typeof raw.description === 'string' ? raw.description : '', plays };
}

/** Reads and checks a JSON playbook file (synchronously); the default playbook when no file is given. YAML files: `readPlaybookFile`. */
export function loadPlaybook(file?: string): Playbook {
  const path = file ?? DEFAULT_PLAYBOOK_FILE;
  assertPlaybookFile(path);
  if (isYamlPlaybook(path)) throw new UserError(`playbook ${path} is YAML`, 'read it with readPlaybookFile (clvkit playbook --config reads YAML)');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`playbook ${path} is not valid JSON: ${(error as Error).message.split('\n')[0]}`, 'fix the file (a .yaml or .yml name is read as YAML)');
  }
  return parsePlaybook(json, file ?? 'default');
}

/** A playbook path that is no file is refused in one line: missing, or a folder (it was read as JSON: `EISDIR` as its syntax error). */
function assertPlaybookFile(path: string): void {
  if (!existsSync(path)) throw new UserError(`no playbook file ${path}`, 'pass --config with a JSON or YAML playbook (see data/playbooks/default-playbook.json)');
  if (statSync(path).isDirectory()) throw new UserError(`--config ${path} is a folder, not a file`, `give a playbook file inside it, e.g. --config ${join(path, 'playbook.json')} (JSON, or YAML named .yaml/.yml)`);
}

const isYamlPlaybook = (path: string) => /\.ya?ml$/i.test(path);

/** The `yaml` package's parser, loaded on first use (a YAML playbook is the only reader of it). */
async function yamlParser(): Promise<(text: string) => unknown> {
  let module: { parse: (text: string, options: Record<string, unknown>) => unknown };
  try {
    module = (await import('yaml')) as typeof module;
  } catch {
    throw new UserError('YAML playbooks need the yaml package, which is not installed', 'npm install yaml, or write the playbook as JSON');
  }
  // the core schema (no custom tags, nothing is executed), no merge keys, few aliases (no "billion laughs")
  return (text) => module.parse(text, { schema: 'core', merge: false, maxAliasCount: 100, uniqueKeys: true, prettyErrors: true });
}

/**
 * Reads and checks a playbook file: JSON, or YAML when the name ends in
 * `.yaml` / `.yml` (the same fields; parsed by the `yaml` package with its
 * core schema: no custom tags, no merge keys, at most 100 aliases); the
 * default playbook when no file is given.
 *
 * Example: `await readPlaybookFile('winback.yaml')` → `{ source: 'winback.yaml', plays: [{ name: 'win-back', … }] }`
 */
export async function readPlaybookFile(file?: string): Promise<Playbook> {
  if (file === undefined || !isYamlPlaybook(file)) return loadPlaybook(file);
  assertPlaybookFile(file);
  const parse = await yamlParser();
  let json: unknown;
  try {
    json = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`playbook ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'fix the file (the fields are those of the JSON playbook, docs/actions.md)');
  }
  return parsePlaybook(json, file);
}
