import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLVKIT_VERSION } from '../../src/core/version.js';

describe('CLVKIT_VERSION', () => {
  it('is the version in package.json (run.json, the report and --version show it)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(CLVKIT_VERSION).toBe(pkg.version);
    expect(CLVKIT_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
