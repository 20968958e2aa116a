import { describe, expect, it } from 'vitest';
import {
  ApiError,
  describeError,
  fieldErrors,
  plainWords,
  readRetryAfter,
  toProblem,
  tryAgainIn,
  unclaimedFieldErrors,
} from './problem';

describe('toProblem', () => {
  it('reads an RFC 9457 body', () => {
    const p = toProblem(422, 'Unprocessable', {
      title: 'Invalid',
      detail: 'Check the fields.',
      errors: [{ field: 'email', message: 'is not an email' }],
    });
    expect(p).toMatchObject({ status: 422, title: 'Invalid', detail: 'Check the fields.' });
    expect(p.errors).toEqual([{ field: 'email', message: 'is not an email' }]);
  });

  it('survives bodies that are not problems', () => {
    expect(toProblem(502, 'Bad Gateway', '<html>').title).toBe('Bad Gateway');
    expect(toProblem(500, '', null).title).toBe('Error 500');
    expect(toProblem(422, 'x', { errors: 'nope' }).errors).toEqual([]);
    expect(toProblem(422, 'x', { errors: [null, { field: 1 }, { message: 'kept' }] }).errors).toEqual([
      { field: '', message: 'kept' },
    ]);
  });
});

describe('field errors', () => {
  const error = new ApiError(
    toProblem(422, 'x', {
      detail: 'Invalid product.',
      errors: [
        { field: 'sku', message: 'too long' },
        { field: 'sku', message: 'bad characters' },
        { field: 'color', message: 'unknown field' },
      ],
    }),
  );

  it('picks the messages of one field', () => {
    expect(fieldErrors(error, 'sku')).toEqual(['Too long.', 'Bad characters.']);
    expect(fieldErrors(error, 'name')).toEqual([]);
    expect(fieldErrors(new Error('x'), 'sku')).toEqual([]);
  });

  it('keeps the ones no input shows', () => {
    expect(unclaimedFieldErrors(error, ['sku'])).toEqual([{ field: 'color', message: 'unknown field' }]);
  });

  it('rephrases the API\'s words as plain advice', () => {
    expect(plainWords('must be at least 8 bytes')).toBe('This must be at least 8 characters.');
    expect(plainWords('is not a product on sale')).toBe('This is not a product on sale.');
    expect(plainWords('Enter a price.')).toBe('Enter a price.');
  });

  it('describes an error by its detail, else its title; a list of field errors points at the fields', () => {
    expect(describeError(error)).toBe('Please correct the fields marked below.');
    expect(describeError(new ApiError(toProblem(409, 'Conflict', { detail: 'Taken.' })))).toBe('Taken.');
    expect(describeError(new ApiError(toProblem(404, 'Not Found', {})))).toBe('Not Found');
    expect(describeError('?')).toBe('Something went wrong.');
  });
});

describe('throttled requests', () => {
  it('reads Retry-After seconds and rounds the wait up to whole minutes', () => {
    expect(readRetryAfter('600')).toBe(600);
    expect(readRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
    expect(readRetryAfter(null)).toBeUndefined();
    expect(tryAgainIn(61)).toBe('Too many attempts. Try again in 2 minutes.');
    expect(tryAgainIn(60)).toBe('Too many attempts. Try again in 1 minute.');
    expect(tryAgainIn(30)).toBe('Too many attempts. Try again in 30 seconds.');
    expect(tryAgainIn(undefined)).toBe('Too many attempts. Try again in a few minutes.');
  });
});
