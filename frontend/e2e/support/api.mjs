// Direct API calls for test set-up (the browser does the part under test).
import { API_URL, ADMIN_EMAIL, ADMIN_PASSWORD } from './config.mjs';

async function call(method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(`${API_URL}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return data;
}

export async function signIn(email, password) {
  const { access_token } = await call('POST', '/auth/login', { body: { email, password } });
  return access_token;
}

export const adminToken = () => signIn(ADMIN_EMAIL, ADMIN_PASSWORD);

export async function registerCustomer(email, password) {
  await call('POST', '/auth/register', { body: { email, password } });
  return signIn(email, password);
}

export const createProduct = (token, product) => call('POST', '/products', { token, body: product });

export const adjustStock = (token, productId, delta, reason) =>
  call('POST', `/products/${productId}/stock-adjustments`, { token, body: { delta, reason } });

export const placeOrder = (token, items, extras = {}) =>
  call('POST', '/orders', { token, body: { items, ...extras }, headers: { 'Idempotency-Key': crypto.randomUUID() } });

/** Waits until an order's summary reaches a status (staff see the summary). */
export async function waitForSummary(token, id, status, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const order = await getOrder(token, id);
    if (order.summary?.status === status) return order;
    if (Date.now() > end) throw new Error(`summary of ${id} is ${order.summary?.status}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export const getOrder = (token, id) => call('GET', `/orders/${id}`, { token });

export const stockMovements = (token, productId) => call('GET', `/products/${productId}/stock-movements`, { token });

export const salesReport = (token, days) => call('GET', `/reports/sales?days=${days}`, { token });

export const stockReport = (token) => call('GET', '/reports/stock', { token });

export const listWebhooks = (token) => call('GET', '/webhooks?limit=100', { token });
