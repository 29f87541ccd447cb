import { writeLines } from './warehouse.js';

/**
 * A tiny shop whose events carry a session id only (no customer or visitor id), written into `dir`: 12 orders of six
 * customers in 2023, each with a session of a view and a cart add ten minutes before it. No session can be matched to
 * an order, so no purchase step and no buyer type can be measured.
 */
export function writeSessionOnlyShop(dir: string): { orders: string; events: string } {
  const orders = ['order_id,customer_id,order_date,product_id,quantity,unit_price'];
  const events = ['session_id,ts,type,product_id'];
  for (let i = 0; i < 12; i++) {
    const day = `2023-0${1 + (i % 9)}-1${i % 10}`;
    orders.push(`${i},${2001 + (i % 6)},${day}T12:00:00,P${i % 3},1,12.5`);
    events.push(`S${i},${day}T11:50:00,view,P${i % 3}`, `S${i},${day}T11:55:00,add_to_cart,P${i % 3}`);
  }
  return { orders: writeLines(dir, 'orders.csv', orders), events: writeLines(dir, 'events.csv', events) };
}
