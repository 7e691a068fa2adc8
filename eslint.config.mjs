import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const dbDrivers = ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/pglite'];
// Only server/kubernetes talks to Kubernetes API servers (one module: clients per context, watches, verbs).
const kubeClient = {
  group: ['@kubernetes/client-node'],
  message: 'Only server/kubernetes talks to the Kubernetes API.',
};

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.burnrate/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Only server/db talks to the database: routers and other modules call its functions.
  {
    files: ['app/**', 'components/**', 'lib/**', 'server/**'],
    ignores: ['server/db/**', 'server/billing/**', 'server/kubernetes/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: dbDrivers,
              message: 'Database drivers and drizzle are used only in server/db.',
              allowTypeImports: true,
            },
            kubeClient,
          ],
        },
      ],
    },
  },
  {
    files: ['server/kubernetes/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: dbDrivers,
              message: 'Database drivers and drizzle are used only in server/db.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/routers/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: dbDrivers,
              message: 'Database drivers and drizzle are used only in server/db.',
              allowTypeImports: true,
            },
            {
              group: ['@/server/db/*', '!@/server/db/client'],
              message: 'Routers call server functions, never queries (STYLE: OpenStatus).',
              allowTypeImports: true,
            },
            kubeClient,
          ],
        },
      ],
    },
  },
  // Settings come from the one config module (server/config), read once at start. Not settings:
  // Next's NODE_ENV/NEXT_RUNTIME, values the app hands itself (peer proof, PGlite init) and tests'.
  {
    files: ['app/**', 'components/**', 'lib/**', 'server/**', 'proxy.ts', 'instrumentation.ts'],
    ignores: [
      'server/config/**',
      '**/*.test.ts',
      '**/testing/**',
      'server/db/testing.ts',
      'server/auth/peer-address.ts',
      'server/db/client.ts',
      'lib/http-security.ts',
      'instrumentation.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings with appConfig() from @/server/config.' },
      ],
    },
  },
  // Browser code never imports server code (types for the tRPC client are fine).
  {
    files: ['components/**', 'lib/**', 'app/**/*-client.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/server/*', '@/server/**', '../server/*', '**/server/*'],
              message: 'Client code must not import server code.',
              allowTypeImports: true,
            },
            {
              group: dbDrivers,
              message: 'Database drivers and drizzle are used only in server/db.',
              allowTypeImports: true,
            },
            kubeClient,
          ],
        },
      ],
    },
  },
];

export default config;
