/**
 * Every value model clvkit fits, in one table: name, label, citation,
 * parameter names, the summary columns its fit reads, and its fit function
 * (purchase models also carry their predictors). `clvkit fit`, `validate`
 * and the model tournament look models up here instead of branching by hand.
 */
import type { FitOptions } from './fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from './model-types.js';
import { BG_BB_PARAM_NAMES, fitBgBb, type BgBbData } from './bgbb/bgbb.js';
import { BG_NBD_PARAM_NAMES } from './bgnbd/bgnbd.js';
import { PARETO_NBD_PARAM_NAMES } from './paretonbd/paretonbd.js';
import { PURCHASE_MODELS, type PurchaseModel, type PurchaseModelName } from './btyd/purchase-models.js';
import { fitGammaGamma, GAMMA_GAMMA_PARAM_NAMES, type GammaGammaFitOptions, type SpendData } from './gamma-gamma/gamma-gamma.js';
import { MODEL_NAMES, type ModelName } from '../core/model-names.js';

export { MODEL_NAMES, type ModelName };

/** Columns of a customer summary a fit reads (`monetary` is monetary_value). */
export type SummaryRole = 'frequency' | 'recency' | 'T' | 'periods' | 'monetary';

interface ModelEntryBase {
  readonly name: ModelName;
  /** how people write it: BG/NBD, Gamma-Gamma, … */
  readonly label: string;
  readonly citation: string;
  readonly paramNames: readonly string[];
  /** summary columns the fit needs, besides an optional per-row count */
  readonly columns: readonly SummaryRole[];
  /** time unit of the data: the caller's (continuous time), opportunities (BG/BB) or none (spend) */
  readonly time: 'continuous' | 'opportunity' | 'none';
}

export type ModelEntry =
  | (ModelEntryBase & { readonly kind: 'purchase'; readonly predictors: PurchaseModel; fit(data: RfmData, options?: FitOptions): FittedModel })
  | (ModelEntryBase & { readonly kind: 'opportunity'; fit(data: BgBbData, options?: FitOptions): FittedModel })
  | (ModelEntryBase & { readonly kind: 'spend'; fit(data: SpendData, options?: GammaGammaFitOptions): FittedModel });

function purchaseEntry(name: PurchaseModelName, paramNames: readonly string[]): ModelEntry {
  const model = PURCHASE_MODELS[name];
  return { kind: 'purchase', name, label: model.label, citation: model.citation, paramNames, columns: ['frequency', 'recency', 'T'], time: 'continuous', predictors: model, fit: model.fit };
}

export const MODEL_REGISTRY: Readonly<Record<ModelName, ModelEntry>> = {
  bgnbd: purchaseEntry('bgnbd', BG_NBD_PARAM_NAMES),
  mbgnbd: purchaseEntry('mbgnbd', BG_NBD_PARAM_NAMES),
  paretonbd: purchaseEntry('paretonbd', PARETO_NBD_PARAM_NAMES),
  bgbb: {
    kind: 'opportunity',
    name: 'bgbb',
    label: 'BG/BB',
    citation: 'Fader, Hardie & Shang (2010), Marketing Science 29(6)',
    paramNames: BG_BB_PARAM_NAMES,
    columns: ['frequency', 'recency', 'periods'],
    time: 'opportunity',
    fit: (data, options) => fitBgBb(data, options),
  },
  gammagamma: {
    kind: 'spend',
    name: 'gammagamma',
    label: 'Gamma-Gamma',
    citation: 'Fader, Hardie & Lee (2005), Journal of Marketing Research 42(4)',
    paramNames: GAMMA_GAMMA_PARAM_NAMES,
    columns: ['frequency', 'monetary'],
    time: 'none',
    fit: (data, options) => fitGammaGamma(data, options),
  },
};


/** The predictors of a purchase model (what the tournament and the scoring step use). */
export function getPurchaseModel(name: PurchaseModelName): PurchaseModel {
  const entry = MODEL_REGISTRY[name];
  if (entry.kind !== 'purchase') throw new RangeError(`${name} is not a continuous-time purchase model`);
  return entry.predictors;
}
