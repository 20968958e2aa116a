import { describe, expect, it } from 'vitest';
import { json, mockFetch, problem } from '../test/fetchMock';
import { apiRequest, queryString } from './client';
import { ApiError } from './problem';
import { getToken, setToken } from './session';

describe('apiRequest', () => {
  it('sends the token as a bearer header to the configured API', async () => {
    setToken('tok-1');
    const { requests, fetchMock } = mockFetch(() => json(200, { ok: true }));
    await apiRequest('/auth/me');
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe('http://127.0.0.1:8000/auth/me');
    expect(requests[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('drops the token on a 401', async () => {
    setToken('expired');
    mockFetch(() => problem(401, { title: 'Unauthorized', detail: 'The token has expired.' }));
    await expect(apiRequest('/orders')).rejects.toBeInstanceOf(ApiError);
    expect(getToken()).toBeNull();
    expect(sessionStorage.getItem('shop.access_token')).toBeNull();
  });

  it('keeps the token on other errors', async () => {
    setToken('good');
    mockFetch(() => problem(403, { title: 'Forbidden' }));
    await expect(apiRequest('/orders?scope=all')).rejects.toMatchObject({ status: 403 });
    expect(getToken()).toBe('good');
  });

  it('turns a failed connection into a readable error', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(apiRequest('/products')).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining('Could not reach the shop'),
    });
  });

  it('returns nothing for 204', async () => {
    mockFetch(() => new Response(null, { status: 204 }));
    await expect(apiRequest('/products/x', { method: 'DELETE' })).resolves.toBeUndefined();
  });
});

describe('queryString', () => {
  it('keeps only the parameters with a value', () => {
    expect(queryString({ q: 'mug', low_stock: false, cursor: null, limit: 5 })).toBe('?q=mug&limit=5');
    expect(queryString({ low_stock: true })).toBe('?low_stock=true');
    expect(queryString({})).toBe('');
  });
});
