import { describe, expect, it } from 'vitest';
import { lazyFunction } from '../../src/cli/lazy-function.js';

describe('lazyFunction', () => {
  it('imports the module on the first call only, once, and passes arguments and results through', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      return { add: async (a: number, b: number) => a + b, fail: async (message: string): Promise<never> => { throw new Error(message); } };
    };
    const add = lazyFunction(load, 'add');
    const fail = lazyFunction(load, 'fail');
    expect(loads).toBe(0);
    expect(await add(2, 3)).toBe(5);
    expect(await add(10, -4)).toBe(6);
    expect(loads).toBe(1);
    await expect(fail('no such file')).rejects.toThrow('no such file');
    expect(loads).toBe(2); // each binding loads once (the module system caches the real import)
  });
});
