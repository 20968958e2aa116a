// RFC 9457 problem details, read defensively: a proxy or a crash may answer with anything.

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  type?: string;
  errors: FieldError[];
  /** The whole parsed body, for members beyond the standard ones (e.g. a 409's `short`). */
  body: Record<string, unknown>;
  /** Seconds from a 429's Retry-After header, when the browser may read it. */
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!isRecord(entry)) return [];
    const field = typeof entry.field === 'string' ? entry.field : '';
    const message = typeof entry.message === 'string' ? entry.message : '';
    return message ? [{ field, message }] : [];
  });
}

export function toProblem(status: number, statusText: string, body: unknown): Problem {
  const record = isRecord(body) ? body : {};
  const title = typeof record.title === 'string' && record.title ? record.title : statusText || `Error ${status}`;
  return {
    status,
    title,
    detail: typeof record.detail === 'string' && record.detail ? record.detail : undefined,
    type: typeof record.type === 'string' ? record.type : undefined,
    errors: readFieldErrors(record.errors),
    body: record,
  };
}

/** Retry-After in seconds; the HTTP-date form is not sent by this API, so it is ignored. */
export function readRetryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (an HTML error page from a proxy, say): status and status text still tell enough.
  }
  const problem = toProblem(response.status, response.statusText, body);
  const retryAfterSeconds = readRetryAfter(response.headers.get('Retry-After'));
  if (retryAfterSeconds !== undefined) problem.retryAfterSeconds = retryAfterSeconds;
  return new ApiError(problem);
}

/** "Try again in N minutes" for a throttled request, rounded up so the wait is never too short. */
export function tryAgainIn(seconds: number | undefined): string {
  if (seconds === undefined) return 'Too many attempts. Try again in a few minutes.';
  if (seconds < 60) return `Too many attempts. Try again in ${Math.max(seconds, 1)} seconds.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

export function networkError(): ApiError {
  return new ApiError(
    toProblem(0, 'Network error', {
      title: 'Could not reach the shop',
      detail: 'Could not reach the shop. Check your connection and try again.',
    }),
  );
}

/** Messages for one form field from a validation problem; empty when there are none. */
export function fieldErrors(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.problem.errors.filter((e) => e.field === field).map((e) => plainWords(e.message));
}

/** Field errors whose field no form input claims, so none of them is silently lost. */
export function unclaimedFieldErrors(error: unknown, claimed: readonly string[]): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  return error.problem.errors.filter((e) => !claimed.includes(e.field));
}

/**
 * The API's field messages are written for developers ("must be at least 8 bytes"); a person
 * reads them beside the field they concern, so they are rephrased as a sentence of advice.
 */
export function plainWords(message: string): string {
  const text = message
    .replace(/\bbytes\b/g, 'characters')
    .replace(/^must be /, 'This must be ')
    .replace(/^must /, 'This must ')
    .replace(/^is /, 'This is ')
    .replace(/`/g, '');
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** One sentence for a person: the problem's detail, else its title, else a generic line. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.status === 422 && error.problem.errors.length > 0)
    return 'Please correct the fields marked below.';
  if (error instanceof ApiError && error.status === 429) return tryAgainIn(error.problem.retryAfterSeconds);
  if (error instanceof ApiError) return error.problem.detail || error.problem.title;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
