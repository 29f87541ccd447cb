import { existsSync } from 'node:fs';
import type { Warehouse } from '../engine/warehouse.js';

/** The word a play's offer names the recommendations file by (the shipped playbook's cross-sell play: `recommended products (recommendations.csv)`). */
const FILE_NAME = 'recommendations.csv';

/**
 * The recommendations.csv of the latest finished analysis recorded in `warehouse` (`server_runs`: `clvkit analyze
 * --db`, the server's runs), when it wrote one and the file is still on this machine; else null.
 */
async function latestRecommendationsFile(warehouse: Warehouse): Promise<string | null> {
  const rows = await warehouse.query("SELECT summary FROM server_runs WHERE status = 'finished' AND summary IS NOT NULL ORDER BY finished_at DESC LIMIT 1");
  if (rows.length === 0) return null;
  try {
    const file = (JSON.parse(String(rows[0]!.summary)) as { outputs?: { recommendationsCsv?: unknown } }).outputs?.recommendationsCsv;
    return typeof file === 'string' && existsSync(file) ? file : null;
  } catch {
    return null; // not a run.json: no file to name
  }
}

/**
 * A function giving each play's offer as the plan states it. An offer that names `recommendations.csv` promises a
 * file of recommendations per customer; the playbook is run on a warehouse, not on an analysis's folder, so the name
 * is made true: replaced by the path of the file the warehouse's latest analysis wrote, or, when it wrote none (its
 * data had no products, or it ran with --skip-patterns) or the file is gone, by words saying so and how to get one.
 * Other offers are the playbook's text as written. The warehouse is read once, on the first offer that names the file.
 *
 * Example: with the latest analysis's file at /out/recommendations.csv, `'recommended products (recommendations.csv)'`
 * → `'recommended products (/out/recommendations.csv)'`; on a warehouse without products
 * → `'recommended products (no recommendations.csv: the data has no products to recommend)'`.
 */
export function recommendationsOffer(warehouse: Warehouse, words: { api: boolean }): (offer: string | null) => Promise<string | null> {
  let said: Promise<string> | undefined;
  const say = async (): Promise<string> => {
    const file = await latestRecommendationsFile(warehouse);
    if (file !== null) return file;
    const [products] = await warehouse.query('SELECT count(*) AS n FROM transactions WHERE product_id IS NOT NULL');
    if (Number(products!.n) === 0) return `no ${FILE_NAME}: the data has no products to recommend`;
    const how = words.api ? 'a run without skipPatterns writes one' : 'clvkit recommend --all --out FILE, or an analyze without --skip-patterns, writes one';
    return `no ${FILE_NAME}: the latest analysis of this warehouse wrote none, or it is gone; ${how}`;
  };
  return async (offer) => {
    if (offer === null || !offer.includes(FILE_NAME)) return offer;
    said ??= say();
    return offer.replaceAll(FILE_NAME, await said);
  };
}
