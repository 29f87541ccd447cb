/**
 * The seeded random streams of the synthetic shop, one per concern
 * (catalog, profiles, purchases, spend, baskets, dirt, events, prospects,
 * sign-ups), all derived from one seed. Each concern draws only from its own
 * stream, so turning events off, changing dirt rates or the sign-up and
 * browsing options leaves the purchases and baskets unchanged.
 */
import { createRandom, type Random } from '../math/random.js';

// new streams go at the end, so the earlier ones keep their seeds
const STREAMS = ['catalog', 'profile', 'purchase', 'spend', 'basket', 'dirt', 'events', 'prospects', 'signup'] as const;
export type ShopStreamName = (typeof STREAMS)[number];
export type ShopStreams = Readonly<Record<ShopStreamName, Random>>;

export function createShopStreams(seed: number): ShopStreams {
  const master = createRandom(seed);
  const streams = {} as Record<ShopStreamName, Random>;
  for (const name of STREAMS) streams[name] = createRandom(master.integer(0x100000000) + 0x100000000 * master.integer(0x200000));
  return streams;
}
