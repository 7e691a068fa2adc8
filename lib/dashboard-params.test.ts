import { describe, expect, it } from 'vitest';
import { rangePanelInput, readDashboardParams, searchParamsOf } from './dashboard-params';

describe('the dashboard params a server page reads', () => {
  it('equal what the browser reads from the same URL, so the prefetched query keys match', () => {
    const url = new URL('http://x/gpus?from=now-7d&to=now&cluster=us-east-prod&cluster=eu-west-batch&refresh=1m');
    // Next hands a server page a repeated key as an array; URLSearchParams.get() takes the first.
    const server = readDashboardParams(
      searchParamsOf({
        from: 'now-7d',
        to: 'now',
        cluster: ['us-east-prod', 'eu-west-batch'],
        refresh: '1m',
        x: undefined,
      }),
    );
    expect(server).toEqual(readDashboardParams(url.searchParams));
    expect(server).toEqual({ range: { from: 'now-7d', to: 'now' }, refresh: '1m', cluster: 'us-east-prod' });
  });

  it('fall back to the defaults without a query string', () => {
    expect(readDashboardParams(searchParamsOf({}))).toEqual({
      range: { from: 'now-6h', to: 'now' },
      refresh: '30s',
      cluster: 'all',
    });
  });

  it('build a panel input with only the fields the procedure takes', () => {
    const params = { ...readDashboardParams(searchParamsOf({ from: 'now-14d' })), extra: 1 };
    expect(rangePanelInput('gpu.power', params, 300)).toEqual({
      panel: 'gpu.power',
      cluster: 'all',
      range: { from: 'now-14d', to: 'now' },
      pointsWanted: 300,
    });
  });
});
