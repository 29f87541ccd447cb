import { describe, expect, it } from 'vitest';
import { UserError, isUserError } from '../../../src/core/errors/user-error.js';

describe('UserError', () => {
  it('carries a message and a hint and is told apart from bugs', () => {
    const error = new UserError('no column for role customer_id', 'pass --map customer_id=<column>');
    expect(error.message).toBe('no column for role customer_id');
    expect(error.hint).toBe('pass --map customer_id=<column>');
    expect(isUserError(error)).toBe(true);
    expect(isUserError(new Error('bug'))).toBe(false);
  });
});
