import { readFileSync } from 'node:fs';
import { minVersion, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  readonly version?: string;
  readonly optional?: boolean;
  readonly engines?: { readonly node?: string } | readonly string[];
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> };

/** Locked packages whose declared Node range does not accept `version`. */
function packagesRefusing(version: string): string[] {
  const refusing: string[] = [];
  for (const [path, locked] of Object.entries(lock.packages)) {
    const range = locked.engines && !Array.isArray(locked.engines) ? (locked.engines as { node?: string }).node : undefined;
    if (path === '' || locked.optional || range === undefined) continue;
    if (!satisfies(version, range)) refusing.push(`${path.replace(/^.*node_modules\//, '')}@${locked.version} wants node ${range}`);
  }
  return refusing;
}

describe('install on the oldest Node the package accepts', () => {
  const floor = minVersion(manifest.engines.node)!.version;

  // npm prints an EBADENGINE warning per package that refuses the running
  // Node (cookie@2 and content-disposition@3 wanted Node 22 while clvkit
  // declared 20); the lock file must not hold such a package.
  it(`every locked package accepts Node ${floor}, the floor of package.json's engines`, () => {
    expect(packagesRefusing(floor)).toEqual([]);
  });

  it('the check finds a package that asks for a newer Node', () => {
    expect(packagesRefusing('18.0.0').length).toBeGreaterThan(0);
  });
});
