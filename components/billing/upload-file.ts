// Browser side of POST /api/billing/imports: XHR (fetch has no upload progress) with an import id
// the page polls for the server's progress once the bytes are sent.

export interface UploadIssue {
  line: number;
  column: string | null;
  value: string | null;
  message: string;
}

export type UploadOutcome =
  | {
      kind: 'imported';
      fileName: string;
      rowCount: number;
      totals: Record<string, { billedCost: string; effectiveCost: string; listCost: string }>;
      durationMs: number;
    }
  | { kind: 'already-imported'; fileName: string; importedAt: string }
  | { kind: 'rejected'; fileName: string; message: string; issues: UploadIssue[] }
  | { kind: 'failed'; message: string };

export function newImportId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function outcomeOf(status: number, text: string, fileName: string): UploadOutcome {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'failed', message: `The server answered ${status} without JSON.` };
  }
  if (status === 201)
    return {
      kind: 'imported',
      fileName,
      rowCount: Number(body.rowCount),
      totals: body.totals as never,
      durationMs: Number(body.durationMs),
    };
  if (status === 200) return { kind: 'already-imported', fileName, importedAt: String(body.importedAt) };
  if (status === 422)
    return {
      kind: 'rejected',
      fileName,
      message: String(body.message),
      issues: (body.issues as UploadIssue[] | undefined) ?? [],
    };
  const error = body.error as { message?: string } | string | undefined;
  return {
    kind: 'failed',
    message: typeof error === 'string' ? error : (error?.message ?? `The server answered ${status}.`),
  };
}

export function uploadBillingFile(
  file: File,
  importId: string,
  onUploadProgress: (loadedBytes: number, totalBytes: number) => void,
  onUploaded: () => void,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/billing/imports');
    xhr.setRequestHeader('x-import-id', importId);
    xhr.upload.onprogress = (event) => onUploadProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.upload.onload = () => onUploaded();
    xhr.onload = () => resolve(outcomeOf(xhr.status, xhr.responseText, file.name));
    xhr.onerror = () => resolve({ kind: 'failed', message: 'The upload did not reach the server (network error).' });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
