// metav1.Status bodies, the error shape every Kubernetes client understands.
import type { FieldCause } from './admission.ts';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: FieldCause[] },
  ) {
    super(message);
  }
}

export function statusBody(code: number, reason: string, message: string, details?: ApiError['details']): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}
