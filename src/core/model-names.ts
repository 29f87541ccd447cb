/**
 * The names of the value models, in a module with no imports, so that the
 * CLI can list them (`clvkit fit --model`) without loading any model code.
 * `MODEL_REGISTRY` (models/model-registry.ts) has exactly one entry per name: its
 * type, `Record<ModelName, ModelEntry>`, makes the compiler check that.
 */
export const MODEL_NAMES = ['bgnbd', 'mbgnbd', 'paretonbd', 'bgbb', 'gammagamma'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];
