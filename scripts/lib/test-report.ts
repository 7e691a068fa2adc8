// Reads vitest's JSON report for `npm test`'s summary: counts, the tests that ran on Postgres, and the
// files that ran no test or skipped some (a test that silently does not run is a failure here).

export interface VitestAssertion {
  fullName: string;
  status: string;
}

export interface VitestFileResult {
  name: string;
  assertionResults: VitestAssertion[];
}

export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: VitestFileResult[];
}

export interface VitestSummary {
  passed: number;
  failed: number;
  /** Tests whose name says they ran on Postgres (database suites are named `… on postgres`). */
  postgresTests: number;
  /** Files that ran no test at all, or skipped some: each is a reason to fail the run. */
  problems: string[];
}

const ran = (status: string): boolean => status === 'passed' || status === 'failed';

export function summarizeVitest(report: VitestReport, root: string): VitestSummary {
  const problems: string[] = [];
  for (const file of report.testResults) {
    const relative = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    const notRun = file.assertionResults.filter((test) => !ran(test.status));
    if (file.assertionResults.every((test) => !ran(test.status))) problems.push(`${relative}: ran no test`);
    else if (notRun[0]) problems.push(`${relative}: ${notRun.length} test(s) did not run (${notRun[0].fullName})`);
  }
  const postgresTests = report.testResults
    .flatMap((file) => file.assertionResults)
    .filter((test) => ran(test.status) && /\bon postgres\b/i.test(test.fullName)).length;
  return { passed: report.numPassedTests, failed: report.numFailedTests, postgresTests, problems };
}
