/**
 * The headers every answer of the server carries (create-server.ts adds them in an onSend hook; an answer written
 * past fastify's hooks, a run's server-sent events, sets them itself): the type as sent, no referrer, never framed
 * (clickjacking of the dashboard's admin actions), the page's own scripts only — ECharts and Swagger UI set inline
 * styles and data: images. An API answer (customer data, the CSRF token) is also never stored by a cache (`NO_STORE`).
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': CONTENT_SECURITY_POLICY,
};

/** The cache header of every answer under /api/. */
export const NO_STORE = { 'cache-control': 'no-store' } as const;
