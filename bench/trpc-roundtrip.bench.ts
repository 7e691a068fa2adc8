// A tRPC query round trip (batch link URL, superjson) against a plain route handler returning the
// same JSON, both through the production server: the cost of the tRPC layer itself. For information:
// the timing goals are the pages' (page-load.bench.ts).
import type { BenchRow } from './types';
import { percentile, startBenchApp, timeInterleaved } from './lib/app-server';

const REQUESTS = 400;

export async function run(): Promise<BenchRow[]> {
  const app = await startBenchApp(3191);
  try {
    const trpcUrl = `${app.url}/api/trpc/system.ping?batch=1&input=${encodeURIComponent('{}')}`;
    const plainUrl = `${app.url}/api/ping`;
    const call = (url: string) => async (): Promise<void> => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      await response.arrayBuffer();
    };
    await timeInterleaved([call(trpcUrl), call(plainUrl)], 50);
    const [trpc, plain] = await timeInterleaved([call(trpcUrl), call(plainUrl)], REQUESTS);
    const oursMs = percentile(trpc!, 50);
    const referenceMs = percentile(plain!, 50);
    const ratio = oursMs / referenceMs;
    return [
      {
        name: `tRPC query vs plain route handler, p50 of ${REQUESTS}`,
        ours: oursMs,
        reference: referenceMs,
        unit: 'ms',
        ratio,
        goal: 'info',
        pass: true,
      },
    ];
  } finally {
    await app.stop();
  }
}
