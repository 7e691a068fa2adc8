import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native, WASM or worker-thread packages: loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pg',
    'pino',
    'pino-pretty',
    'prom-client',
    '@kubernetes/client-node',
    'papaparse',
    'hyparquet',
  ],
  // `npm test` typechecks the whole tree once (tsc); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
};

export default config;
