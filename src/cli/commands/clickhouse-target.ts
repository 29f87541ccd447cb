/** Where a `--engine clickhouse` command runs: the flags, without loading the client (kept light for --help). */
export interface ClickHouseTarget {
  readonly url: string;
  readonly cluster?: string;
  readonly database?: string;
  /** `--key-file`; else CLVKIT_KEY / CLVKIT_KEY_FILE (a cluster never gets a key invented for it) */
  readonly keyFile?: string;
}

/** The connection flags of a command as a target. */
export function clickhouseTarget(flags: { clickhouseUrl?: string; cluster?: string; clickhouseDatabase?: string; keyFile?: string }): ClickHouseTarget {
  return {
    url: flags.clickhouseUrl!,
    ...(flags.cluster ? { cluster: flags.cluster } : {}),
    ...(flags.clickhouseDatabase ? { database: flags.clickhouseDatabase } : {}),
    ...(flags.keyFile ? { keyFile: flags.keyFile } : {}),
  };
}
