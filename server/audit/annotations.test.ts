import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@/server/db/audit';
import { annotationsIn } from './annotations';

function entry(id: number, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: new Date(at),
    requestId: `req-${id}`,
    actor: 'demo-operator',
    role: 'operator',
    verb: 'scale',
    cluster: 'us-east-prod',
    namespace: 'llm-serving',
    target: 'deployment/chat-llm',
    parameters: { verb: 'scale', replicas: 3, idempotencyKey: 'ba351b97' },
    dryRunDiff: null,
    result: 'succeeded',
    statusCode: 200,
    durationMs: 41,
    message: null,
    ...overrides,
  };
}

describe('audit entries as chart annotations', () => {
  const fromMs = Date.parse('2025-06-01T10:00:00Z');
  const toMs = Date.parse('2025-06-01T11:00:00Z');

  it('keeps the actions inside the range, oldest first, with who, verb, parameters and result', () => {
    const entries = [
      entry(4, '2025-06-01T10:45:00Z', { actor: 'demo-viewer', role: 'viewer', result: 'denied', statusCode: 403 }),
      entry(3, '2025-06-01T10:15:00Z', {
        verb: 'set-image',
        parameters: { verb: 'set-image', container: 'vllm', image: 'vllm/vllm-openai:v0.6.4' },
      }),
      entry(2, '2025-06-01T09:59:59Z'),
      entry(5, '2025-06-01T11:00:01Z'),
    ];
    const annotations = annotationsIn(entries, fromMs, toMs);
    expect(annotations.map((a) => a.id)).toEqual([3, 4]);
    expect(annotations[0]).toEqual({
      id: 3,
      atMs: Date.parse('2025-06-01T10:15:00Z'),
      actor: 'demo-operator',
      role: 'operator',
      verb: 'set-image',
      parameters: 'container=vllm, image=vllm/vllm-openai:v0.6.4',
      result: 'succeeded',
      statusCode: 200,
      label: 'set-image container=vllm, image=vllm/vllm-openai:v0.6.4',
    });
    expect(annotations[1]).toMatchObject({
      actor: 'demo-viewer',
      verb: 'scale',
      parameters: 'replicas=3',
      result: 'denied',
      statusCode: 403,
      label: 'scale replicas=3',
    });
  });

  it('labels an action without parameters by its verb alone', () => {
    const [restart] = annotationsIn(
      [entry(7, '2025-06-01T10:30:00Z', { verb: 'restart', parameters: { verb: 'restart' } })],
      fromMs,
      toMs,
    );
    expect(restart).toMatchObject({ parameters: '', label: 'restart' });
  });
});
