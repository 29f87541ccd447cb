// Public library API: re-exports only, grouped by area.

// errors
export { UserError, isUserError } from './errors/user-error.js';
