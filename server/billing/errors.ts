/** One problem found in a file: where (file line, or Parquet row, and column) and what. */
export interface ImportIssue {
  /** 1-based physical line of the CSV file (the header is line 1), or 1-based row for Parquet. */
  line: number;
  column: string | null;
  value: string | null;
  message: string;
}

/** The file was refused; nothing was written. `issues` holds the first problems found. */
export class ImportRejectedError extends Error {
  readonly issues: ImportIssue[];
  readonly fileName: string;

  constructor(fileName: string, issues: ImportIssue[]) {
    const first = issues[0];
    const where = first ? `line ${first.line}${first.column ? `, column ${first.column}` : ''}` : 'file';
    const value =
      first?.value !== null && first?.value !== undefined ? ` (value ${JSON.stringify(first.value.slice(0, 80))})` : '';
    super(
      `${fileName}: ${where}: ${first?.message ?? 'rejected'}${value}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
    );
    this.name = 'ImportRejectedError';
    this.issues = issues;
    this.fileName = fileName;
  }
}

export function formatIssue(issue: ImportIssue): string {
  const column = issue.column ? `, column ${issue.column}` : '';
  const value =
    issue.value !== null
      ? `, value ${JSON.stringify(issue.value.length > 80 ? `${issue.value.slice(0, 80)}…` : issue.value)}`
      : '';
  return `line ${issue.line}${column}${value}: ${issue.message}`;
}
