/**
 * The fields of one CSV line (RFC 4180 quotes: `"a, b"`, `""` inside a quoted
 * field), trimmed: for the small files of ids an action reads (responses,
 * opt-outs); data files go through the engine's reader.
 *
 * Example: `splitCsvLine('a,"b, c","d ""e"""', ',')` → `['a', 'b, c', 'd "e"']`
 */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}
