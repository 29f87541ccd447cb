/** The clvkit version, as in package.json (a test keeps the two equal); run.json, the report and `--version` show it. */
export const CLVKIT_VERSION = '0.1.0';
