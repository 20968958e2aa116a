import { API_URL } from '../config';
import { apiErrorFromResponse, networkError } from './problem';
import { endSession, getToken } from './session';

export interface ImportLineError {
  line: number;
  field: string;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportLineError[];
}

// CSV goes in and out as text, so these calls cannot use the JSON-only apiRequest; they keep
// its rules: bearer token attached, 401 ends the session, failures become ApiError.
async function csvFetch(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
  const token = getToken();
  if (token) init.headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`${API_URL}${path}`, init);
  } catch {
    throw networkError();
  }
  if (response.status === 401) endSession();
  if (!response.ok) throw await apiErrorFromResponse(response);
  return response;
}

/** Downloads a CSV route as a Blob: a plain link could not carry the token. */
export async function fetchCsv(path: string): Promise<Blob> {
  const response = await csvFetch(path, {
    method: 'GET',
    headers: { Accept: 'text/csv, application/problem+json' },
  });
  return response.blob();
}

export async function importCatalogue(csv: string, dryRun: boolean): Promise<ImportResult> {
  const response = await csvFetch(`/products/import?dry_run=${dryRun}`, {
    method: 'POST',
    headers: { Accept: 'application/json, application/problem+json', 'Content-Type': 'text/csv' },
    body: csv,
  });
  return (await response.json()) as ImportResult;
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
