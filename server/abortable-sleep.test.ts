import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortableSleep } from './abortable-sleep';

describe('abortableSleep', () => {
  it('leaves no listener on the signal after each wait', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i += 1) await abortableSleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends early when the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = abortableSleep(60_000, controller.signal);
    controller.abort();
    await waiting;
    await abortableSleep(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
