import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve: (v: T) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Coalescer', () => {
  it('shares one call among concurrent callers and starts a new one after it settles', async () => {
    const coalescer = new Coalescer();
    let calls = 0;
    const work = deferred<number>();
    const fn = (): Promise<number> => {
      calls++;
      return work.promise;
    };
    const callers = Array.from({ length: 5 }, () => coalescer.run('k', fn));
    work.resolve(7);
    expect(await Promise.all(callers)).toEqual([7, 7, 7, 7, 7]);
    expect(calls).toBe(1);
    await coalescer.run('k', () => Promise.resolve(8));
    expect(coalescer.size).toBe(0);
  });

  it('hands a failure to every caller', async () => {
    const coalescer = new Coalescer();
    const work = deferred<number>();
    const callers = [coalescer.run('k', () => work.promise), coalescer.run('k', () => work.promise)];
    work.reject(new Error('boom'));
    for (const c of callers) await expect(c).rejects.toThrow('boom');
  });

  it('aborts the shared call only when the last caller aborts', async () => {
    const coalescer = new Coalescer();
    let sharedSignal: AbortSignal | undefined;
    const work = deferred<string>();
    const fn = (signal: AbortSignal): Promise<string> => {
      sharedSignal = signal;
      return work.promise;
    };
    const a = new AbortController();
    const b = new AbortController();
    const callA = coalescer.run('k', fn, a.signal);
    const callB = coalescer.run('k', fn, b.signal);
    await Promise.resolve();
    a.abort(new Error('a left'));
    await expect(callA).rejects.toThrow('a left');
    expect(sharedSignal?.aborted).toBe(false);
    b.abort(new Error('b left'));
    await expect(callB).rejects.toThrow('b left');
    expect(sharedSignal?.aborted).toBe(true);
    expect(coalescer.size).toBe(0);
    work.resolve('late');
  });

  it('rejects at once for an already aborted signal without calling', async () => {
    const coalescer = new Coalescer();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    let calls = 0;
    await expect(coalescer.run('k', () => Promise.resolve(calls++), controller.signal)).rejects.toThrow('gone');
    expect(calls).toBe(0);
  });
});
