/** `scheme://user:password@`: the password of a URL written in a text. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]*@/gi;

/**
 * `text` with the password of every URL in it replaced by `***` (the user
 * kept): what a message may show of a `--clickhouse-url` that carries one.
 *
 * Example: `maskUrlPasswords('no server at http://alice:s3cret@ch-1:8123')` → `'no server at http://alice:***@ch-1:8123'`
 */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}
