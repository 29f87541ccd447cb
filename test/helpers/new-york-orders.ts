/** A New York shop's order export (Shopify's date layout): winter orders at -0500, summer ones at -0400, each at its local wall time. */
export const NEW_YORK_ORDERS = [
  'order_id,customer_id,created_at,total',
  '#1001,A,2023-01-04 23:30:00 -0500,10',
  '#1002,B,2023-03-11 12:00:00 -0500,11',
  '#1003,A,2023-03-12 12:00:00 -0400,12',
  '#1004,C,2023-07-04 00:30:00 -0400,13',
  '#1005,B,2023-11-05 23:00:00 -0500,14',
];

/** The same orders as the shop's clock showed them (`order_id ts`, in time order). */
export const NEW_YORK_WALL_TIMES = [
  '#1001 2023-01-04 23:30:00',
  '#1002 2023-03-11 12:00:00',
  '#1003 2023-03-12 12:00:00',
  '#1004 2023-07-04 00:30:00',
  '#1005 2023-11-05 23:00:00',
];
