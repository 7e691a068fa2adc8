import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ClusterConnection } from '@/server/kubernetes/types';
import { ClusterConnections } from './cluster-connections';

function textOf(clusters: ClusterConnection[]): string {
  return renderToStaticMarkup(createElement(ClusterConnections, { clusters }))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('ClusterConnections', () => {
  it('says "no permission" for the cluster and the kinds its API server refused, next to the live ones', () => {
    const text = textOf([
      {
        cluster: 'us-east-prod',
        connection: { state: 'connected', sinceMs: 0 },
        denied: [
          { kind: 'Workflow', statusCode: 403, error: 'https://10.0.0.1: 403 workflows.argoproj.io is forbidden' },
        ],
      },
      {
        cluster: 'eu-west-batch',
        connection: { state: 'forbidden', sinceMs: 0, statusCode: 401, error: 'https://10.0.0.2: 401 Unauthorized' },
        denied: [
          { kind: 'Deployment', statusCode: 401, error: 'https://10.0.0.2: 401 Unauthorized' },
          { kind: 'Pod', statusCode: 401, error: 'https://10.0.0.2: 401 Unauthorized' },
        ],
      },
    ]);
    expect(text).toContain('us-east-prod connected no permission to watch Workflow (RBAC;');
    expect(text).toContain('403 workflows.argoproj.io is forbidden');
    expect(text).toContain('eu-west-batch no permission no permission to watch Deployment (credentials refused;');
    expect(text).toContain('no permission to watch Pod (credentials refused;');
  });
});
