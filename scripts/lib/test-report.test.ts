import { describe, expect, it } from 'vitest';
import { summarizeVitest, type VitestReport } from './test-report';

const file = (name: string, ...statuses: [string, string][]): VitestReport['testResults'][number] => ({
  name: `/repo/${name}`,
  assertionResults: statuses.map(([fullName, status]) => ({ fullName, status })),
});

describe('npm test summary of the vitest report', () => {
  it('counts the tests that ran on Postgres and finds nothing wrong in a clean run', () => {
    const summary = summarizeVitest(
      {
        numPassedTests: 3,
        numFailedTests: 0,
        testResults: [
          file(
            'server/db/db.test.ts',
            ['database on pglite keeps a line', 'passed'],
            ['database on postgres keeps a line', 'passed'],
          ),
          file('lib/format.test.ts', ['formats money', 'passed']),
        ],
      },
      '/repo',
    );
    expect(summary).toEqual({ passed: 3, failed: 0, postgresTests: 1, problems: [] });
  });

  it('fails a file that ran no test and one that skipped a test', () => {
    const summary = summarizeVitest(
      {
        numPassedTests: 1,
        numFailedTests: 0,
        testResults: [
          file('server/billing/cli.test.ts'),
          file(
            'server/alerts/webhook.test.ts',
            ['webhook on postgres stores', 'skipped'],
            ['webhook on pglite stores', 'passed'],
          ),
        ],
      },
      '/repo',
    );
    expect(summary.problems).toEqual([
      'server/billing/cli.test.ts: ran no test',
      'server/alerts/webhook.test.ts: 1 test(s) did not run (webhook on postgres stores)',
    ]);
    expect(summary.postgresTests).toBe(0);
  });
});
