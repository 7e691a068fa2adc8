import { describe, expect, it } from 'vitest';
import { fitLabel } from './chart-bar';

describe('bar labels that fit the axis', () => {
  it('keeps a short name whole', () => {
    expect(fitLabel('search/embedder', 26)).toBe('search/embedder');
  });

  it('cuts the middle of a long one, keeping namespace and workload ends: 26 characters', () => {
    // 48 characters → the first 12, "…", the last 13: 26.
    expect(fitLabel('llm-serving/chat-llm-serverless-00001-deployment', 26)).toBe('llm-serving/…01-deployment');
  });
});
