/**
 * `clvkit tokens create t-viewer --role viewer --db W --role admin` made an ADMIN token: on tokens create --role is
 * the new token's role, and the parser lets the last of a repeated option win without a word. A repeated --role is
 * now refused (exit 2, one line with a hint) on every command, before anything is read or written.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { cli } from '../helpers/cli.js';

describe('a repeated --role is refused', () => {
  it('on tokens create: no token is made, the refusal names both roles and what --role means there', async () => {
    const db = `/tmp/clvkit-repeated-role-${process.pid}.duckdb`;
    const run = await cli(['tokens', 'create', 't-viewer', '--role', 'viewer', '--db', db, '--role', 'admin']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("clvkit: error: --role given twice (viewer, admin) (hint: on tokens create it is the new token's role; give it once)\n");
    expect(existsSync(db)).toBe(false);
  });

  it('with --role=ROLE too, and on a command where --role is the role you act as', async () => {
    const run = await cli(['segments', '--db', '/tmp/no-such-clvkit.duckdb', '--role=viewer', '--role', 'admin']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('clvkit: error: --role given twice (viewer, admin) (hint: it is the role you act as; give it once)\n');
  });

  it('a --role after -- is an operand, not a repeat', async () => {
    const run = await cli(['tokens', 'create', '--role', 'viewer', '--db', '/tmp/no-such-dir-clvkit/x.duckdb', '--', '--role']);
    expect(run.stderr).not.toContain('given twice');
  });
});
