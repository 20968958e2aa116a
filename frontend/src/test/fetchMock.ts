import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

export function problem(status: number, body: Record<string, unknown>): Response {
  return json(status, { type: 'about:blank', status, ...body }, 'application/problem+json');
}

// JSON bodies are recorded parsed; anything else (a CSV upload) as its text.
function parseBody(body: string, contentType: string | undefined): unknown {
  return contentType === undefined || contentType.includes('json') ? JSON.parse(body) : body;
}

/** Replaces fetch with a handler and records every request the app makes. */
export function mockFetch(handler: Handler) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      headers,
      body: typeof init.body === 'string' ? parseBody(init.body, headers['content-type']) : undefined,
    };
    requests.push(request);
    return handler(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests, fetchMock };
}
