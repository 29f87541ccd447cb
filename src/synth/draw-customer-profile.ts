/**
 * A synthetic customer's profile: acquisition channel and cost, country and
 * region, gender, birth year, and personal fields that are fake by
 * construction, so a synthetic shop can never leak or collide with a real
 * person's contact data:
 *
 * - name: a first name and a last name from small built-in lists;
 * - email: `first.last.<customer id>@` one of example.com, example.org,
 *   example.net — the domains RFC 2606 §3 reserves for documentation;
 * - phone: UK customers (and every non-North-American one) get a number in
 *   Ofcom's drama range for mobiles, +44 7700 900000–900999; US and Canadian
 *   customers a NANP fictional number, +1 <area> 555 0100–0199 (NANPA
 *   reserves 555-0100…0199 for fiction).
 *
 * Channel mix (documented default): organic 35%, paid_search 25%, social
 * 15%, email 10%, referral 15%. Acquisition cost per customer ~ Gamma(shape
 * 4) around the channel mean: organic 0, paid_search 28, social 20, email 4,
 * referral 10 (currency of the shop). Countries: United Kingdom 55%, Germany
 * 8%, France 7%, Netherlands 4%, Ireland 4%, Spain 3%, Belgium 2% (region
 * Europe); United States 8%, Canada 3% (North America); Australia 4%, Japan
 * 2% (Asia Pacific). Gender: female 48%, male 48%, unknown 4%. Birth year
 * 1945 + ⌊61·Beta(2.2, 2.8)⌋ (mean ≈ 1972).
 */
import type { Random } from '../math/random.js';

export interface CustomerProfile {
  readonly acquisitionChannel: string;
  readonly acquisitionCost: number;
  readonly country: string;
  readonly region: string;
  readonly gender: string;
  readonly birthYear: number;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  /** cookie-like id of the customer's device, for events before sign-up */
  readonly anonymousId: string;
}

/** RFC 2606 §3: second-level domains reserved for documentation and examples. */
export const RESERVED_EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net'];

export const ACQUISITION_CHANNELS: readonly { readonly channel: string; readonly share: number; readonly meanCost: number }[] = [
  { channel: 'organic', share: 0.35, meanCost: 0 },
  { channel: 'paid_search', share: 0.25, meanCost: 28 },
  { channel: 'social', share: 0.15, meanCost: 20 },
  { channel: 'email', share: 0.1, meanCost: 4 },
  { channel: 'referral', share: 0.15, meanCost: 10 },
];

export const COUNTRIES: readonly { readonly country: string; readonly region: string; readonly share: number }[] = [
  { country: 'United Kingdom', region: 'Europe', share: 0.55 },
  { country: 'Germany', region: 'Europe', share: 0.08 },
  { country: 'France', region: 'Europe', share: 0.07 },
  { country: 'Netherlands', region: 'Europe', share: 0.04 },
  { country: 'Ireland', region: 'Europe', share: 0.04 },
  { country: 'Spain', region: 'Europe', share: 0.03 },
  { country: 'Belgium', region: 'Europe', share: 0.02 },
  { country: 'United States', region: 'North America', share: 0.08 },
  { country: 'Canada', region: 'North America', share: 0.03 },
  { country: 'Australia', region: 'Asia Pacific', share: 0.04 },
  { country: 'Japan', region: 'Asia Pacific', share: 0.02 },
];

const FEMALE_NAMES = ['Alice', 'Beatrice', 'Clara', 'Daisy', 'Eleanor', 'Freya', 'Grace', 'Hannah', 'Isla', 'Julia', 'Keira', 'Lucy', 'Maya', 'Nora', 'Olivia', 'Poppy', 'Rosa', 'Sophie', 'Tara', 'Vera'];
const MALE_NAMES = ['Adam', 'Ben', 'Callum', 'Daniel', 'Edward', 'Felix', 'George', 'Harry', 'Isaac', 'Jack', 'Kai', 'Leo', 'Max', 'Noah', 'Oscar', 'Peter', 'Reuben', 'Samuel', 'Theo', 'Victor'];
const LAST_NAMES = ['Archer', 'Baker', 'Carter', 'Dawson', 'Ellis', 'Fletcher', 'Gardner', 'Hughes', 'Ingram', 'Jennings', 'Knight', 'Lawson', 'Mason', 'Norris', 'Owens', 'Parker', 'Quinn', 'Reed', 'Shaw', 'Turner', 'Underwood', 'Vaughan', 'Walker', 'Young'];
/** real area codes, used only with the fictional 555-01xx line numbers */
const NANP_AREA_CODES = ['202', '212', '312', '415', '514', '604', '617', '713'];

/** index of a draw from a table of shares that sum to 1 (the last entry takes any rounding remainder) */
export function drawShare(random: Random, shares: readonly { readonly share: number }[]): number {
  let u = random.uniform();
  for (let i = 0; i < shares.length - 1; i++) {
    u -= shares[i].share;
    if (u < 0) return i;
  }
  return shares.length - 1;
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[random.integer(list.length)];
}

/** UK drama mobile number (Ofcom): +44 7700 900000–900999. */
export function drawUkDramaPhone(random: Random): string {
  return `+44 7700 900${String(random.integer(1000)).padStart(3, '0')}`;
}

/** NANP fictional number: +1 <area> 555 0100–0199. */
export function drawNanpFictionalPhone(random: Random): string {
  return `+1 ${pick(random, NANP_AREA_CODES)} 555 01${String(random.integer(100)).padStart(2, '0')}`;
}

/** Draw one customer's profile; the same random state gives the same profile. */
export function drawCustomerProfile(random: Random, customerId: string): CustomerProfile {
  const channel = ACQUISITION_CHANNELS[drawShare(random, ACQUISITION_CHANNELS)];
  const costDraw = random.gamma(4, channel.meanCost / 4 || 1);
  const acquisitionCost = channel.meanCost > 0 ? Math.round(costDraw * 100) / 100 : 0;
  const place = COUNTRIES[drawShare(random, COUNTRIES)];
  const g = random.uniform();
  const gender = g < 0.48 ? 'female' : g < 0.96 ? 'male' : 'unknown';
  const birthYear = 1945 + Math.floor(61 * random.beta(2.2, 2.8));
  const firstList = gender === 'female' ? FEMALE_NAMES : gender === 'male' ? MALE_NAMES : random.uniform() < 0.5 ? FEMALE_NAMES : MALE_NAMES;
  const first = pick(random, firstList);
  const last = pick(random, LAST_NAMES);
  const domain = pick(random, RESERVED_EMAIL_DOMAINS);
  const phone = place.region === 'North America' ? drawNanpFictionalPhone(random) : drawUkDramaPhone(random);
  const anonymousId = `anon-${(random.integer(0x10000) * 0x10000 + random.integer(0x10000)).toString(16).padStart(8, '0')}`;
  return {
    acquisitionChannel: channel.channel,
    acquisitionCost,
    country: place.country,
    region: place.region,
    gender,
    birthYear,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}.${customerId}@${domain}`,
    phone,
    anonymousId,
  };
}
