/**
 * What `POST /api/audiences` and `POST /api/playbook/run` answer, as response schemas: in the OpenAPI document (and
 * /docs), and what fastify serialises the answers by — it drops every field a schema does not name, so each schema
 * names every field of the answer (`AudienceSummary`, `PlaybookPlan`; test/server/action-answer-schemas.test.ts checks
 * the answers arrive whole).
 *
 * Numbers that are counts are integers; the rest numbers (a fraction written as an integer would be cut). A text with
 * a fixed set of values is a string with an `enum` (documented, never refused on the way out).
 */
import { Type, type TSchema } from 'typebox';
import type { AudienceSummary } from '../../actions/create-audience.js';
import type { PlanRow, PlaybookPlan } from '../../actions/run-playbook.js';
import { SUPPRESSION_REASONS } from '../../actions/suppression-condition.js';

/** A text that is one of `values`, said as an enum. */
const oneOf = <T extends string>(values: readonly T[], description: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], description });
const orNull = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description === undefined ? {} : { description });
const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description === undefined ? {} : { description }) });

const COVARIATES = ['prePurchases', 'preBuyers', 'preRevenue', 'purchasesToDate', 'daysSinceLastPurchase'] as const;
const Covariate = oneOf(COVARIATES, 'prePurchases and preBuyers (purchases, and whether any, in the pre-period), preRevenue (net revenue in it; with order values only), purchasesToDate (all history before the send date), daysSinceLastPurchase (at the send date; members with a purchase before it)');

const BalanceGroup = Type.Object({ n: Count('the members measured'), mean: Type.Number({ description: 'their mean (a share for preBuyers)' }), sd: Type.Number({ description: 'their sample standard deviation' }) });

/** `GroupBalance` (balance-summary.ts). */
export const GroupBalanceAnswer = Type.Object(
  {
    method: Type.String(),
    preDays: Count('days of the pre-period: the days before the send date, as many as the campaign is to be measured over'),
    preFrom: Type.String({ description: 'the pre-period, both days included (YYYY-MM-DD)' }),
    preTo: Type.String(),
    covariates: Type.Array(
      Type.Object({
        name: Covariate,
        treatment: orNull(BalanceGroup, 'null when withheld'),
        control: orNull(BalanceGroup, 'null when withheld'),
        smd: orNull(Type.Number(), 'standardised mean difference (mean_t − mean_c) / √((sd_t² + sd_c²) / 2); null when withheld, or when the groups do not overlap at all (beyond chance)'),
        chance95: orNull(Type.Number(), 'random assignment keeps this covariate\'s |SMD| within it 95% of the time at these group sizes'),
        jointChance95: orNull(Type.Number(), 'random assignment keeps the largest |SMD| of the covariates measured within it 95% of the time (Bonferroni)'),
        beyondChance: Type.Boolean({ description: '|SMD| beyond jointChance95 (or no overlap at all): the draw may not have been random — redraw with another seed before sending' }),
        withheld: Type.Optional(Type.String({ description: 'why the means are not published: a group below the minimum group size, or no member to measure' })),
      }),
    ),
    imbalanced: Type.Array(Covariate, { description: 'the covariates with |SMD| above 0.1 (or no overlap)' }),
    beyondChance: Type.Array(Covariate, { description: 'the covariates beyond chance: redraw before sending when any is' }),
    withoutHistory: Type.Object(
      { treatment: orNull(Count()), control: orNull(Count()) },
      { description: 'members without a purchase before the send date, per group (left out of daysSinceLastPurchase); null for 1 to k − 1' },
    ),
  },
  { description: 'how alike the groups were before the send date (groupBalance, docs/actions.md): the standardised mean difference of each covariate and whether random assignment gives it at these group sizes' },
);

const Suppressed = Type.Object(Object.fromEntries(SUPPRESSION_REASONS.map((r) => [r, Count()])) as Record<(typeof SUPPRESSION_REASONS)[number], ReturnType<typeof Count>>, {
  description: 'customers the filter matched whom the suppression rules left out, each under its first reason',
});

const DrawBalance = orNull(GroupBalanceAnswer, 'the balance of the draw over the measureDays before the send date; null when it could not be measured (said in notes)');
const Notes = Type.Array(Type.String(), { description: 'what the CLI says on stderr, in the API\'s words' });
const Warnings = Type.Array(Type.String(), { description: 'the same lines as notes, under the name clvkit\'s --json outputs, plan.json and campaign evaluations give them' });

/** `POST /api/audiences` 201: the `AudienceSummary` with the draw's notes. */
export const AudienceCreatedAnswer = Type.Object({
  name: Type.String(),
  where: Type.String(),
  play: orNull(Type.String(), 'the playbook play that drew it; null for an audience drawn by hand'),
  members: Count('0: the filter matched nobody, or the suppression rules left out every customer it matched — not stored (status 200), said in warnings'),
  matched: Count('customers the filter matched: members + the suppressed'),
  suppressed: Suppressed,
  treatment: Count('the customers to contact'),
  control: Count('the customers held out'),
  holdout: Type.Number(),
  seed: Type.Integer(),
  assignment: Type.String({ description: 'how the control group was drawn' }),
  sendDate: Type.String({ description: 'the first day a response counts (YYYY-MM-DD)' }),
  measureDays: Count('days from the send date over which the campaign is to be measured'),
  scoresAsOf: orNull(Type.String()),
  meanPredictedClv: orNull(Type.Number(), 'mean predicted CLV of the treatment group when drawn; null without value models'),
  file: orNull(
    Type.Object({ path: Type.String(), format: Type.String(), rows: Count(), columns: Type.Array(Type.String()), group: Type.String() }),
    'null: the API writes no file (GET /api/audiences/:name/export answers the members)',
  ),
  balance: DrawBalance,
  reused: Type.Boolean({ description: 'true: the name was taken by an audience drawn with the same inputs, answered as stored (status 200, "idempotent": true); false: drawn now (201)' }),
  drawnAt: orNull(Type.String(), 'when reused: when the stored audience answered was drawn (its createdAt); null for a draw now'),
  warnings: Warnings,
  notes: Notes,
});

const Money = (description: string) => orNull(Type.Number(), description);

const PlayAnswer = Type.Object({
  play: Type.String(),
  audience: orNull(Type.String(), 'the audience drawn (<prefix><play>); null for a skipped play'),
  channel: orNull(Type.String()),
  offer: orNull(Type.String()),
  where: Type.String(),
  eligible: Count('customers the filter and suppression rules left for the play (before the budget)'),
  matched: Count('customers the filter matched who were not placed in an earlier play: eligible + the suppressed'),
  suppressed: Suppressed,
  members: Count(),
  treatment: Count(),
  control: Count(),
  costPerContact: Type.Number(),
  expectedCost: Type.Number({ description: 'costPerContact × treatment, in cents' }),
  lift: Type.Number(),
  liftSource: Type.String({ description: 'playbook (assumed), or the measured campaign it comes from' }),
  expectedIncrementalValue: Money('lift × predicted CLV of the treated × margin (or the uplift model\'s); null without CLV'),
  expectedRoi: Money('null without expected value'),
  file: Type.Null({ description: 'null: the API writes no file (see export)' }),
  valueSource: Type.String(),
  skipped: orNull(Type.String(), 'why the play drew no audience; null when it drew one'),
  skipKind: orNull(
    Type.Union([Type.Literal('belowMinGroupSize'), Type.Literal('noMatch'), Type.Literal('suppressed'), Type.Literal('budget')]),
    'the kind of skipped: belowMinGroupSize (too few customers, or a control or treatment group, for the minimum group size), noMatch, suppressed (every customer it matches), budget (none within it); null when it drew one',
  ),
  balance: orNull(GroupBalanceAnswer, 'the balance of its audience\'s draw, as POST /api/audiences answers it; null for a skipped play'),
  notes: Type.Array(Type.String()),
  export: orNull(Type.String(), 'the route that answers its members; null for a skipped play'),
});

const Pair = Type.Object({ treatment: Count(), control: Count() });

const UpliftModelAnswer = Type.Object(
  {
    audience: Type.String({ description: 'the past campaign learnt from' }),
    window: Type.Object({ from: Type.String(), to: Type.String() }),
    outcome: oneOf(['buyers', 'purchases', 'revenue'], 'what the model predicts the uplift of'),
    learner: oneOf(['two-model', 'transformed-outcome'], 'the learner chosen'),
    train: Pair,
    validation: Pair,
    qini: Type.Object(
      { fractions: Type.Array(Type.Number()), qini: Type.Array(Type.Number()), random: Type.Array(Type.Number()), area: Type.Number(), coefficient: Type.Number() },
      { description: "the chosen learner's Qini curve on the held-out half of the past campaign" },
    ),
    qiniTest: Type.Object({ test: Type.String(), permutations: Count(), pValue: Type.Number(), alpha: Type.Number() }),
    campaignTest: Type.Object({
      correction: Type.String(),
      alpha: Type.Number(),
      tested: Count(),
      adjustedPValue: Type.Number(),
      campaigns: Type.Array(Type.Object({ audience: Type.String(), pValue: Type.Number(), adjustedPValue: Type.Number() })),
    }),
    learners: Type.Array(Type.Object({ learner: Type.String(), qiniCoefficient: Type.Number(), qiniArea: Type.Number(), qiniPValue: Type.Number() })),
    model: Type.Unknown({ description: 'the fitted learner: its linear models\' coefficients' }),
  },
  { description: 'the uplift model learnt from a past campaign with a control group (docs/actions.md)' },
);

/** `POST /api/playbook/run` 200: the `PlaybookPlan`, each play with its export route instead of a file, the run's notes, and why nothing was drawn (`hint`, null when a play was). */
export const PlaybookRunAnswer = Type.Object({
  playbook: Type.String(),
  sendDate: Type.String(),
  scoresAsOf: orNull(Type.String(), 'the day the scores and stages describe the data to; null before any analysis'),
  seed: Type.Integer(),
  budget: Money('the budget sent; null without one'),
  plays: Type.Array(PlayAnswer),
  totals: Type.Object({
    customers: Count(),
    members: Count(),
    notDrawn: Count('eligible for some play but in no audience'),
    matchedByNone: Count(),
    treatment: Count(),
    expectedCost: Type.Number({ description: 'in cents: never more than the budget' }),
    expectedIncrementalValue: Money('null when a drawn play has none'),
    expectedRoi: Money('null without expected value'),
    suppressed: Suppressed,
  }),
  valueBasis: Type.String(),
  targeting: orNull(
    Type.Object({
      basis: oneOf(['uplift model', 'value × P(alive)', 'expected purchases × P(alive)'], 'what ranked the customers for the budget'),
      reason: Type.String(),
      upliftModel: orNull(UpliftModelAnswer),
      notProfitable: Count('candidates left out: the model expects no gain from contacting them'),
    }),
    'with a budget: what ranked the customers; null without one',
  ),
  reused: Type.Boolean({ description: 'true: the audiences of a run with the same fields existed ("idempotent": true), and its stored plan is answered, nothing drawn again; false: drawn now' }),
  drawnAt: orNull(Type.String(), 'when reused: when the stored plan answered was drawn; null for a run now'),
  warnings: Type.Array(Type.String(), { description: 'the same lines as notes, then `hint: ` and the hint when nothing was drawn: what clvkit playbook --json and plan.json give as warnings' }),
  notes: Notes,
  hint: orNull(Type.String(), 'when every play was skipped: why nothing was drawn and what to change, in one line (as clvkit playbook ends such a plan); null when a play was drawn'),
});

/** `POST /api/audiences`' answer (`AudienceCreatedAnswer`). */
export type AudienceCreated = AudienceSummary & { readonly notes: readonly string[] };

/** `POST /api/playbook/run`'s answer (`PlaybookRunAnswer`). */
export type PlaybookRun = Omit<PlaybookPlan, 'plays'> & { readonly plays: readonly (Omit<PlanRow, 'file'> & { readonly file: null; readonly export: string | null })[]; readonly notes: readonly string[]; readonly hint: string | null };

/** A type as fastify's typed reply takes it: the same fields, none readonly (the answers' types are read-only). */
export type Writable<T> = T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;

/** The answer unchanged, typed so that the reply checks it against its schema's type (`Writable`). */
export const asAnswer = <T>(answer: T): Writable<T> => answer as Writable<T>;
