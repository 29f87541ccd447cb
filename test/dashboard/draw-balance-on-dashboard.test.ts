/**
 * The dashboard's Audiences page, after drawing an audience, said only "Created X: n to contact, m held out.": not the
 * balance of the draw `POST /api/audiences` answers (the line `audience create` prints, with how to redraw), nor the
 * draw's notes (stale scores, customers in a running campaign's control group…). Its playbook plan showed each play's
 * notes but not its balance, nor the run's own notes. `drawNotes`, `playBalance` and `planNotes` (web/src/draw-notes.ts,
 * no DOM) give what the page says: the balance in the CLI's words (`balanceText`) with a redraw hint a dashboard user
 * can follow (the Delete button, another seed: no CLI command, no flag), a warning where a covariate is beyond chance.
 */
import { describe, expect, it } from 'vitest';
import { balanceLine, balanceText, type GroupBalance } from '../../src/actions/balance-summary.js';
import { balanceOfSums, type GroupSums } from '../../src/actions/group-balance.js';
import type { AudienceCreated, PlaybookRun } from '../../src/server/routes/action-answers.js';
import { audienceRedraw, drawNotes, planNotes, playBalance, PLAYBOOK_REDRAW } from '../../web/src/draw-notes.js';

// n, Σx and Σx² of a group of n with this mean and sample sd 1
const sums = (n: number, mean: number): readonly [number, number] => [n * mean, n - 1 + n * mean * mean];
const group = (n: number, prePurchases: number): GroupSums => ({ n, prePurchases: sums(n, prePurchases), preBuyers: n / 2, preRevenue: null, purchasesToDate: sums(n, 3), withHistory: n, daysSinceLastPurchase: sums(n, 10) });
const AT = { sendDate: '2024-03-01', preDays: 30, minGroupSize: 5 };
/** the treatment group's mean purchases in the pre-period against the control's 1: 1,080 and 120 members (range of the largest ±0.2 or so) */
const balanceAt = (treated: number): GroupBalance => balanceOfSums({ treatment: group(1080, treated), control: group(120, 1) }, AT);
const suppressed = { optedOut: 0, contactedRecently: 0, runningControlGroup: 0, boughtRecently: 0, nextOrderDue: 0 };

const created = (balance: GroupBalance | null, notes: string[] = []): AudienceCreated => ({
  name: 'spring',
  where: "stage IN ('at_risk')",
  play: null,
  members: 1200,
  matched: 1200,
  suppressed,
  treatment: 1080,
  control: 120,
  holdout: 0.1,
  seed: 1,
  assignment: 'hash',
  sendDate: '2024-03-01',
  measureDays: 30,
  scoresAsOf: '2024-02-29',
  meanPredictedClv: 120,
  file: null,
  balance,
  reused: false,
  drawnAt: null,
  warnings: notes,
  notes,
});

/** What the CLI prints of a balance before its advice (`balanceLine` with a marker advice cut off). */
const cliWords = (b: GroupBalance) => balanceLine(b, 'ADVICE', 'ADVICE')!.split(' — ADVICE')[0]!;
const NOT_THE_CLI = /clvkit|--seed|--db|audience drop/;

describe('the Audiences page says the balance of a draw and its notes', () => {
  it('within chance: the created line, the balance in the CLI\'s words, then each note of the draw', () => {
    const b = balanceAt(1.02);
    expect(b.beyondChance).toEqual([]);
    const notes = drawNotes(created(b, ['3 of the 1,080 customers to contact (the treatment group) are in the control group of a campaign not yet measured past 2024-03-01 (3 customers also in past)']));
    expect(notes).toEqual([
      { text: 'Created spring: 1,080 to contact, 120 held out.', warning: false },
      { text: `Balance of the draw: ${balanceText(b, audienceRedraw('spring'), audienceRedraw('spring'))}.`, warning: false },
      { text: 'Note: 3 of the 1,080 customers to contact (the treatment group) are in the control group of a campaign not yet measured past 2024-03-01 (3 customers also in past).', warning: false },
    ]);
    expect(notes[1]!.text).toBe(`Balance of the draw: ${cliWords(b)}.`);
    expect(notes[1]!.text).toMatch(/^Balance of the draw: largest \|SMD\| 0\.020 \(purchases per customer in the 30 days before the send date\) of 4 covariates: within chance/);
  });

  it('beyond chance: a warning, with how to redraw on the dashboard (delete it, draw it again with another seed), never the CLI\'s command', () => {
    const b = balanceAt(1.5);
    expect(b.beyondChance).toEqual(['prePurchases']);
    const [, balance] = drawNotes(created(b));
    expect(balance!.warning).toBe(true);
    expect(balance!.text).toBe(`Warning: balance of the draw: ${cliWords(b)} — to redraw before sending: delete spring in the Audiences list, then create it again with another seed.`);
    expect(balance!.text).not.toMatch(NOT_THE_CLI);
  });

  it('above 0.25 within chance: the redraw hint as the CLI gives it, not a warning', () => {
    const b = balanceOfSums({ treatment: group(40, 1.3), control: group(10, 1) }, AT);
    expect([b.beyondChance, Math.abs(b.covariates[0]!.smd!) > 0.25]).toEqual([[], true]);
    const [, balance] = drawNotes(created(b));
    expect(balance).toEqual({ text: `Balance of the draw: ${cliWords(b)} — ${audienceRedraw('spring')}.`, warning: false });
  });

  // a filter that matches nobody is answered 200 with members 0, nothing stored (session 43): the page said "Created"
  it('an empty audience: says nothing was stored, as a warning, then the note with its hint; never "Created"', () => {
    const warning = 'warning: the audience spring is empty: no customer matches where orders > 1000: nothing stored (hint: widen the filter: orders runs from 1 to 9 among the 60 customers; POST /api/audiences/count counts the customers a filter matches)';
    const empty = { ...created(null, [warning]), members: 0, matched: 0, treatment: 0, control: 0 };
    expect(drawNotes(empty)).toEqual([
      { text: 'spring is empty: nobody to draw, and nothing was stored (the note says why).', warning: true },
      { text: `Note: ${warning}.`, warning: false },
    ]);
  });

  it('a balance that could not be measured: no balance line, the note that says why', () => {
    const notes = drawNotes(created(null, ['the balance of the draw could not be measured: the warehouse is busy']));
    expect(notes.map((n) => n.text)).toEqual(['Created spring: 1,080 to contact, 120 held out.', 'Note: the balance of the draw could not be measured: the warehouse is busy.']);
  });
});

describe('the playbook plan says each play\'s balance and the run\'s notes', () => {
  const play = (name: string, balance: GroupBalance | null): PlaybookRun['plays'][number] => ({
    play: name,
    audience: balance ? `playbook-2024-03-01-${name}` : null,
    channel: 'email',
    offer: null,
    where: 'orders >= 1',
    eligible: 1200,
    matched: 1200,
    suppressed,
    members: balance ? 1200 : 0,
    treatment: balance ? 1080 : 0,
    control: balance ? 120 : 0,
    costPerContact: 0.5,
    expectedCost: balance ? 540 : 0,
    lift: 0.05,
    liftSource: 'playbook',
    expectedIncrementalValue: null,
    expectedRoi: null,
    file: null,
    valueSource: '',
    skipped: balance ? null : '3 customers, fewer than the minimum group size 5',
    skipKind: balance ? null : 'belowMinGroupSize',
    balance,
    notes: [],
    export: null,
  });
  const within = balanceAt(1.02);
  const beyond = balanceAt(1.5);
  const plan = (plays: PlaybookRun['plays'], notes: string[] = []): PlaybookRun => ({
    playbook: 'default',
    sendDate: '2024-03-01',
    scoresAsOf: '2024-02-29',
    reused: false,
    drawnAt: null,
    seed: 1,
    budget: null,
    plays,
    totals: { customers: 3000, members: 2400, notDrawn: 0, matchedByNone: 600, treatment: 2160, expectedCost: 1080, expectedIncrementalValue: null, expectedRoi: null, suppressed },
    valueBasis: '',
    targeting: null,
    warnings: notes,
    notes,
    hint: null,
  });

  it("each drawn play's balance in the CLI's words, with how to redraw a playbook run on the dashboard; none for a skipped play", () => {
    expect(playBalance(play('win-back', within))).toEqual({ text: balanceText(within, PLAYBOOK_REDRAW, PLAYBOOK_REDRAW), warning: false });
    expect(playBalance(play('nudge', beyond))).toEqual({ text: `${cliWords(beyond)} — ${PLAYBOOK_REDRAW}`, warning: true });
    expect(playBalance(play('last-offer', null))).toBeNull();
    expect(PLAYBOOK_REDRAW).toBe("to redraw before sending: delete this run's audiences in the Audiences list, then run the playbook again with another seed");
  });

  it('under the table: a warning naming the plays drawn beyond chance, then the run\'s notes', () => {
    const notes = planNotes(plan([play('win-back', within), play('nudge', beyond), play('last-offer', null)], ['the scores and stages describe the data to 2024-02-20, the warehouse holds purchases to 2024-02-29: start an analysis (POST /api/runs) to refresh them before drawing on new data']));
    expect(notes).toEqual([
      { text: `Warning: the draw of nudge is beyond chance: its treatment and control groups differed before the send date more than random assignment gives — ${PLAYBOOK_REDRAW}.`, warning: true },
      { text: 'Note: the scores and stages describe the data to 2024-02-20, the warehouse holds purchases to 2024-02-29: start an analysis (POST /api/runs) to refresh them before drawing on new data.', warning: false },
    ]);
    expect(planNotes(plan([play('win-back', within)]))).toEqual([]);
    expect(planNotes(plan([play('a', beyond), play('b', beyond)]))[0]!.text).toMatch(/^Warning: the draws of a and b are beyond chance: their treatment and control groups differed/);
  });

  // POST /api/playbook/run answers why a plan drew nothing (`hint`, as the CLI's last line): the page says it first
  it('a plan that drew nothing: the answer\'s hint first, as a warning', () => {
    const hint = 'nothing drawn: all 6 plays are below the minimum group size 1000 (in customers, or in the control group their holdout leaves); for a shop of 600 customers the server\'s minimum group size must be lower';
    expect(planNotes({ ...plan([play('last-offer', null)]), hint })).toEqual([{ text: `Nothing drawn: all 6 plays are below the minimum group size 1000 (in customers, or in the control group their holdout leaves); for a shop of 600 customers the server's minimum group size must be lower.`, warning: true }]);
  });
});
