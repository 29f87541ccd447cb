/** What a purchase of `responsePurchasesSql` was in a window: orders, purchase days, or both (lines with and without order ids). */
export type PurchasesCounted = 'orders' | 'purchase days' | 'orders and purchase days';

/** The words behind `PurchasesCounted`, for the CLI (imports nothing: the CLI's start-up reads it). */
export const PURCHASES_COUNTED_MEANING: Readonly<Record<PurchasesCounted, string>> = {
  orders: 'orders (distinct order ids)',
  'purchase days': "purchase days: the window's lines have no order ids, and a customer's lines of one day are one purchase, as analyze counts them",
  'orders and purchase days': 'orders where the lines have order ids, purchase days where they have none (per customer the larger count, as the customer summary counts orders)',
};
