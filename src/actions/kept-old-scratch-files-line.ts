/**
 * The one line naming the `<out>.tmp-<pid>` files an export kept beside --out (`keptOldScratchFiles`), or null.
 *
 * Example: `keptOldScratchFilesLine(['/out/send.csv.tmp-812'])` → `kept /out/send.csv.tmp-812 beside --out: a file an older clvkit wrote it through, named after process 812, which is running (remove it once that process has ended)`
 */
export function keptOldScratchFilesLine(files: readonly string[]): string | null {
  if (files.length === 0) return null;
  const pid = (file: string) => file.slice(file.lastIndexOf('.tmp-') + '.tmp-'.length);
  if (files.length === 1) return `kept ${files[0]} beside --out: a file an older clvkit wrote it through, named after process ${pid(files[0]!)}, which is running (remove it once that process has ended)`;
  return `kept ${files.length} files beside --out that older clvkit runs wrote it through, named after processes that are running: ${files.join(', ')} (remove them once those processes have ended)`;
}
