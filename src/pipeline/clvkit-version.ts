/** The version run.json records. */
export const CLVKIT_VERSION = '0.1.0';
