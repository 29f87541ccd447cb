/**
 * The synthetic shop's products: Online Retail-like numeric stock codes,
 * upper-case descriptions ("VINTAGE PINK CAKE TIN"), ten categories with
 * their own price level (unit price ~ category median · exp(0.5·N(0,1)),
 * at least 0.19; unit cost 35–65% of the price), and a popularity rank per
 * product (a seeded random permutation, so rank and stock code are unrelated)
 * that the Zipf sampler draws from.
 */
import type { Random } from '../math/random.js';
import { drawShare } from './draw-customer-profile.js';

export interface ProductCatalog {
  readonly size: number;
  readonly productId: readonly string[];
  readonly description: readonly string[];
  readonly category: readonly string[];
  readonly unitPrice: Float64Array;
  readonly unitCost: Float64Array;
  /** product index of each 0-based popularity rank */
  readonly productOfRank: Int32Array;
  /** 0-based popularity rank of each product index */
  readonly rankOfProduct: Int32Array;
  /** product indices per category name */
  readonly membersOfCategory: ReadonlyMap<string, readonly number[]>;
}

export const PRODUCT_CATEGORIES: readonly { readonly category: string; readonly share: number; readonly medianPrice: number; readonly nouns: readonly string[] }[] = [
  { category: 'home decor', share: 0.15, medianPrice: 4.95, nouns: ['HEART', 'LANTERN', 'PHOTO FRAME', 'WALL CLOCK', 'MIRROR', 'METAL SIGN', 'CUSHION COVER', 'DOORSTOP'] },
  { category: 'kitchen', share: 0.14, medianPrice: 3.75, nouns: ['MUG', 'TEA TOWEL', 'CAKE TIN', 'MILK JUG', 'BOWL', 'LUNCH BOX', 'PLATE', 'SPOON SET'] },
  { category: 'stationery', share: 0.1, medianPrice: 1.65, nouns: ['NOTEBOOK', 'PENCIL SET', 'GIFT WRAP', 'GREETING CARD', 'STICKERS', 'ERASER', 'JOURNAL', 'WASHI TAPE'] },
  { category: 'garden', share: 0.08, medianPrice: 6.95, nouns: ['PLANTER', 'WATERING CAN', 'BIRD FEEDER', 'GARDEN GNOME', 'SEED TIN', 'TROWEL'] },
  { category: 'toys', share: 0.1, medianPrice: 3.25, nouns: ['SPINNING TOP', 'RAG DOLL', 'JIGSAW', 'KITE', 'SKIPPING ROPE', 'YO YO', 'PLAY HOUSE'] },
  { category: 'bags', share: 0.1, medianPrice: 2.95, nouns: ['TOTE BAG', 'LUNCH BAG', 'JUMBO BAG', 'SHOPPER', 'PURSE', 'WASH BAG'] },
  { category: 'candles', share: 0.08, medianPrice: 2.55, nouns: ['T-LIGHT HOLDER', 'PILLAR CANDLE', 'TEALIGHTS', 'CANDLESTICK', 'SCENTED CANDLE'] },
  { category: 'party', share: 0.09, medianPrice: 1.45, nouns: ['BUNTING', 'NAPKINS', 'PAPER CUPS', 'BALLOONS', 'PARTY HATS', 'PLACE CARDS'] },
  { category: 'christmas', share: 0.08, medianPrice: 2.95, nouns: ['BAUBLE', 'HANGING STAR', 'ADVENT CALENDAR', 'WREATH', 'STOCKING', 'TREE DECORATION'] },
  { category: 'jewellery', share: 0.08, medianPrice: 4.25, nouns: ['BRACELET', 'EARRINGS', 'NECKLACE', 'HAIR CLIP', 'RING DISH'] },
];

const STYLES = ['VINTAGE', 'RETRO', 'REGENCY', 'FLORAL', 'SPOTTY', 'STRIPY', 'PAISLEY', 'SCANDI', 'RUSTIC', 'WOODLAND'];
const COLOURS = ['WHITE', 'RED', 'PINK', 'BLUE', 'GREEN', 'IVORY', 'BLACK', 'GOLD', 'SILVER', 'PASTEL'];

/** Build `size` products; the same random state gives the same catalog. */
export function buildProductCatalog(random: Random, size: number): ProductCatalog {
  const productId: string[] = [];
  const description: string[] = [];
  const category: string[] = [];
  const unitPrice = new Float64Array(size);
  const unitCost = new Float64Array(size);
  const members = new Map<string, number[]>(PRODUCT_CATEGORIES.map((c) => [c.category, []]));
  const seen = new Set<string>();
  for (let j = 0; j < size; j++) {
    const kind = PRODUCT_CATEGORIES[drawShare(random, PRODUCT_CATEGORIES)];
    let text = '';
    for (let attempt = 0; attempt < 8; attempt++) {
      text = `${STYLES[random.integer(STYLES.length)]} ${COLOURS[random.integer(COLOURS.length)]} ${kind.nouns[random.integer(kind.nouns.length)]}`;
      if (!seen.has(text)) break;
    }
    if (seen.has(text)) text = `${text} NO ${j + 1}`;
    seen.add(text);
    productId.push(String(10000 + j));
    description.push(text);
    category.push(kind.category);
    members.get(kind.category)!.push(j);
    const price = Math.max(0.19, Math.round(kind.medianPrice * Math.exp(0.5 * random.normal()) * 100) / 100);
    unitPrice[j] = price;
    unitCost[j] = Math.max(0.01, Math.round(price * (0.35 + 0.3 * random.uniform()) * 100) / 100);
  }
  // popularity: Fisher–Yates permutation of product indices
  const productOfRank = new Int32Array(size);
  for (let k = 0; k < size; k++) productOfRank[k] = k;
  for (let k = size - 1; k > 0; k--) {
    const other = random.integer(k + 1);
    const held = productOfRank[k];
    productOfRank[k] = productOfRank[other];
    productOfRank[other] = held;
  }
  const rankOfProduct = new Int32Array(size);
  for (let k = 0; k < size; k++) rankOfProduct[productOfRank[k]] = k;
  return { size, productId, description, category, unitPrice, unitCost, productOfRank, rankOfProduct, membersOfCategory: members };
}
