/**
 * The files of a synthetic shop: their stems, their CSV columns in file
 * order, and the DuckDB type of every column (for the Parquet conversion).
 */
import { EVENT_COLUMNS } from './online-person.js';

export const CUSTOMER_COLUMNS = ['customer_id', 'signup_date', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year', 'name', 'email', 'phone'] as const;
export const PRODUCT_COLUMNS = ['product_id', 'description', 'category', 'unit_price', 'unit_cost'] as const;
export const TRANSACTION_COLUMNS = ['order_id', 'customer_id', 'order_date', 'product_id', 'description', 'quantity', 'unit_price', 'country', 'cost'] as const;
export const TRUTH_CUSTOMER_COLUMNS = ['customer_id', 'buyer_type', 'first_purchase', 'T', 'lambda', 'dropout', 'mean_order_value', 'repeat_purchases', 'alive_at_end'] as const;
export { EVENT_COLUMNS };

/** The data files, in the order truth.json lists them. */
export const SHOP_FILE_STEMS = ['customers', 'products', 'transactions', 'events', 'truth-customers'] as const;
export type ShopFileStem = (typeof SHOP_FILE_STEMS)[number];

/** DuckDB types of every column, for the Parquet conversion. */
export const SHOP_COLUMN_TYPES: Readonly<Record<ShopFileStem, Readonly<Record<string, string>>>> = {
  customers: { customer_id: 'VARCHAR', signup_date: 'DATE', acquisition_channel: 'VARCHAR', acquisition_cost: 'DOUBLE', region: 'VARCHAR', country: 'VARCHAR', gender: 'VARCHAR', birth_year: 'INTEGER', name: 'VARCHAR', email: 'VARCHAR', phone: 'VARCHAR' },
  products: { product_id: 'VARCHAR', description: 'VARCHAR', category: 'VARCHAR', unit_price: 'DOUBLE', unit_cost: 'DOUBLE' },
  transactions: { order_id: 'VARCHAR', customer_id: 'VARCHAR', order_date: 'TIMESTAMP', product_id: 'VARCHAR', description: 'VARCHAR', quantity: 'BIGINT', unit_price: 'DOUBLE', country: 'VARCHAR', cost: 'DOUBLE' },
  events: { session_id: 'VARCHAR', customer_id: 'VARCHAR', anonymous_id: 'VARCHAR', ts: 'TIMESTAMP', type: 'VARCHAR', product_id: 'VARCHAR', category: 'VARCHAR', query: 'VARCHAR' },
  'truth-customers': { customer_id: 'VARCHAR', buyer_type: 'VARCHAR', first_purchase: 'TIMESTAMP', T: 'DOUBLE', lambda: 'DOUBLE', dropout: 'DOUBLE', mean_order_value: 'DOUBLE', repeat_purchases: 'BIGINT', alive_at_end: 'BOOLEAN' },
};
