import type { Command } from 'commander';

/**
 * The hint for an option of a group's subcommands given to the group itself (`clvkit ingests --db x`, which the
 * parser refuses as "unknown option '--db'"): the command that takes it, the subcommand first and then the words
 * typed after the group (a subcommand named among them moved first) — `list` when it takes the option, else the
 * one subcommand that does, else those that do as `a|b`. Null when the message is not about an unknown option or
 * no subcommand takes it (the caller's hint stands).
 *
 * Example: `clvkit ingests --db x.duckdb drop 3` → "options go after the subcommand: clvkit ingests drop --db x.duckdb 3"
 */
export function groupOptionHint(group: Command, message: string, path: string): string | null {
  const flag = /unknown option '([^']+)'/.exec(message)?.[1]?.split('=')[0];
  if (flag === undefined || group.commands.length === 0) return null;
  const takers = group.commands.filter((c) => c.options.some((o) => o.long === flag || o.short === flag));
  if (takers.length === 0) return null;
  let root = group;
  while (root.parent) root = root.parent;
  const raw: readonly string[] = (root as Command & { rawArgs?: string[] }).rawArgs ?? [];
  const after = raw.indexOf(group.name());
  const words = after >= 0 ? raw.slice(after + 1) : [flag, '…'];
  const named = words.findIndex((w) => group.commands.some((c) => c.name() === w));
  const typed = named >= 0 ? words[named]! : undefined;
  const rest = words.filter((_, i) => i !== named);
  const sub = typed ?? takers.find((c) => c.name() === 'list')?.name() ?? (takers.length === 1 ? takers[0]!.name() : takers.map((c) => c.name()).join('|'));
  return `options go after the subcommand: clvkit ${path} ${[sub, ...rest].join(' ')}`;
}
