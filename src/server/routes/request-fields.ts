/**
 * Fields the routes share, with the words a refusal uses. A field's
 * `description` says what a value must be, as a noun phrase ("a day,
 * YYYY-MM-DD"): a refused value is answered "body field sendDate must be a
 * day, YYYY-MM-DD (got …)" (schema-error-words.ts), and the OpenAPI document
 * shows the same words; its `examples` give the hint's example. A field
 * without a description is described by its type and limits ("an integer
 * from 1 to 500").
 */
import { Type } from 'typebox';

/** Letters, digits, '_', '.', '-', starting with a letter or digit: an audience's name, at most 80 characters. */
export const AUDIENCE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$';
const NAME_WORDS = "letters, digits, '_', '.' and '-', starting with a letter or digit";

/** An audience's name (in a body or a path). */
export const AudienceName = Type.String({ pattern: AUDIENCE_NAME_PATTERN, description: `a name of ${NAME_WORDS}, up to 80 characters`, examples: ['spring-2024'] });

/** The prefix of the audiences a playbook run draws. */
export const PlayPrefix = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,40}$', description: `a prefix of ${NAME_WORDS}, up to 41 characters`, examples: ['spring-'] });

/** A day, described as `a day, YYYY-MM-DD: <what it is>` (the calendar is checked by the route: `parseRequestDay`). */
export const dayField = (what?: string, example = '2024-03-01') => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `a day, YYYY-MM-DD${what ? `: ${what}` : ''}`, examples: [example] });

/** A day. */
export const Day = dayField();

/** An audience filter (parsed by `parseWhereExpression`, never pasted into SQL). */
export const Where = Type.String({ minLength: 1, maxLength: 2000, description: 'a filter of 1 to 2,000 characters over scores, stages and segments (docs/actions.md lists the columns)', examples: ["stage IN ('at_risk','dormant') AND predicted_clv_12m > 50"] });

/** A user name (accounts, tokens). */
export const UserName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$', description: "a user name of letters, digits, '_', '.', '@' and '-', up to 64 characters, starting with a letter or digit", examples: ['ana'] });

/** A password sent: never shown back in an answer. */
export const Password = Type.String({ minLength: 1, maxLength: 1024, writeOnly: true });

/** A run's id, as `GET /api/runs` lists it. */
export const RunId = Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$', description: "a run id as GET /api/runs lists it (letters, digits and '-', up to 64 characters)", examples: ['20240301T120000-a1b2c3'] });

/** A customer id or token as the API accepts it: no quotes, spaces or SQL punctuation. */
export const CUSTOMER_KEY_PATTERN = '^[A-Za-z0-9_.@+:-]{1,128}$';
/** The longest customer id or token the API accepts. */
export const CUSTOMER_KEY_MAX_LENGTH = 128;
/** What a customer id or token must be, in a refusal's words. */
export const CUSTOMER_KEY_WORDS = `up to ${CUSTOMER_KEY_MAX_LENGTH} letters, digits and '_', '.', '@', '+', ':', '-'`;
// the length checked before the pattern: a refused id that is too long is answered with its length, not its first 80 characters
const customerKeyField = (description: string) => Type.String({ minLength: 1, maxLength: CUSTOMER_KEY_MAX_LENGTH, pattern: CUSTOMER_KEY_PATTERN, description });

/** The customer 360's path parameter. */
export const CustomerKey = customerKeyField(`a customer token, or a customer id as given: ${CUSTOMER_KEY_WORDS}`);

/** The customer list's search. */
export const CustomerSearch = customerKeyField(`a token prefix, or a customer id as given: ${CUSTOMER_KEY_WORDS}`);

/** `reveal=1`: raw personal data (admin). */
export const Reveal = Type.Integer({ minimum: 0, maximum: 1, description: '0 or 1 (1: raw personal data and original ids; admin only; audited)', examples: [1] });

/** The Idempotency-Key header of an ingest batch. */
export const IdempotencyKey = Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'a key of 1 to 200 printable ASCII characters without spaces', examples: ['orders-2024-03-01-0001'] });
