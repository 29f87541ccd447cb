import { DERIVED_TABLES } from './derived-tables.js';

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

/**
 * The derived-table section of docs/data-contracts.md, generated from the
 * catalogue (`npm run docs:tables` writes it between its markers; a test
 * checks the committed text).
 */
export function derivedTablesMarkdown(): string {
  return DERIVED_TABLES.map((table) => {
    const rows = table.columns.map((c) => {
      const cls = c.class === 'token' ? 'internal (pseudonymised token)' : 'internal';
      const csv = c.csv?.insteadOf ? `as ${c.csv.insteadOf.name} when no ${c.csv.insteadOf.table} is written` : c.csv ? 'yes' : '';
      return `| ${c.name} | ${c.type} | ${cls} | ${csv}${c.money && c.csv ? ' (not without order values)' : ''} | ${escapeCell(c.meaning)} |`;
    });
    return [
      `### \`${table.name}\` — ${table.meaning}`,
      '',
      `Written by the \`${table.writtenBy}\` stage. Other columns: ${table.otherColumns} (internal).`,
      '',
      '| column | type | class | in customers.csv | meaning |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  }).join('\n');
}
