import { describe, expect, it } from 'vitest';
import { isInvalidRequest, requestErrorOf } from './use-panel-data';

// The shapes are tRPC's client errors as our error formatter fills them (server/trpc/init.ts).
describe('what a panel says when its request fails', () => {
  it('a refused time range names the field and is not "Prometheus did not answer"', () => {
    const error = {
      message: 'The end of the time range must be after its start.',
      data: { httpStatus: 400, where: 'range.to' },
    };
    expect(requestErrorOf(error)).toEqual({
      message: 'range.to: The end of the time range must be after its start.',
      invalid: true,
    });
    expect(isInvalidRequest(error)).toBe(true);
  });

  it('a schema refusal lists the fields zod named', () => {
    const error = {
      message: '[{"code":"too_big"}]',
      data: { httpStatus: 400, fieldErrors: { range: ['Too big: expected string to have <=40 characters'] } },
    };
    expect(requestErrorOf(error)).toEqual({
      message: 'range: Too big: expected string to have <=40 characters',
      invalid: true,
    });
  });

  it('a server or network failure stays a failure worth retrying', () => {
    expect(requestErrorOf({ message: 'fetch failed' })).toEqual({ message: 'fetch failed', invalid: false });
    expect(isInvalidRequest({ message: 'boom', data: { httpStatus: 503 } })).toBe(false);
  });
});
