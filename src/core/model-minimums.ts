/** Below these the purchase models cannot be estimated meaningfully: analyze's value stage is skipped with a warning, validate refuses, `fit` warns. */
export const MIN_CUSTOMERS_FOR_MODELS = 50;
export const MIN_REPEAT_CUSTOMERS_FOR_MODELS = 10;
