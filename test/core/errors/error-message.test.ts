import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/core/errors/error-message.js';
import { UserError } from '../../../src/core/errors/user-error.js';

describe('errorMessage', () => {
  it("is an Error's message (its subclasses' too, without name or stack), else the thrown value as text", () => {
    expect(errorMessage(new Error('disk full\nsecond line'))).toBe('disk full\nsecond line');
    expect(errorMessage(new UserError('no column for role customer_id', 'pass --map'))).toBe('no column for role customer_id');
    expect(errorMessage('stopped')).toBe('stopped');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
  });
});
