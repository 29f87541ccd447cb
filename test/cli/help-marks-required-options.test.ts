/**
 * --help says which options are required. Found in a trial: `summarize --help` listed `--out <file>  CSV file to write`
 * and `validate --help` listed `--calibration-end <date>` like any optional flag; the first run then failed with
 * "required option … not specified". Every mandatory option of every command now ends its help line with (required).
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/run-cli.js';
import { captureIo, cli } from '../helpers/cli.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('--help marks mandatory options (required)', () => {
  it('summarize --out and validate --calibration-end', async () => {
    expect(flat((await cli(['summarize', '--help'])).stdout)).toContain('--out <file> CSV file to write (required)');
    expect(flat((await cli(['validate', '--help'])).stdout)).toContain('--calibration-end <date> last day of the calibration window, YYYY-MM-DD (required)');
    expect(flat((await cli(['fit', '--help'])).stdout)).toMatch(/--model <model> bgnbd, mbgnbd, paretonbd, bgbb \(discrete opportunities\) or gammagamma \(choices: [^)]*\) \(required\)/);
  });

  it('every mandatory option of every command, and no optional one', () => {
    const program = buildProgram(captureIo().io);
    const walk = (command: Command): Command[] => [command, ...command.commands.flatMap(walk)];
    let mandatory = 0;
    for (const command of walk(program)) {
      const help = command.createHelp();
      for (const option of command.options) {
        const text = help.optionDescription(option);
        if (option.mandatory) mandatory++;
        expect(text.endsWith('(required)'), `${command.name()} ${option.flags}`).toBe(option.mandatory || /\(required\)$/.test(option.description));
      }
    }
    expect(mandatory).toBeGreaterThan(10);
  });
});
