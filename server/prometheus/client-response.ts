import 'server-only';
import type { z } from 'zod';
import { envelopeSchema } from './api-schemas';
import { PrometheusBadQueryError, PrometheusServerError, PrometheusTimeoutError } from './errors';

/** Maps an HTTP answer to validated data or a typed error (400/422 → bad query, errorType timeout → timeout). */
export function parseResponse<S extends z.ZodType>(
  status: number,
  text: string,
  schema: S,
  context: { prometheusUrl: string; operation: string; query: string | undefined },
): { data: z.output<S>; warnings: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PrometheusServerError(`Prometheus answered HTTP ${status} with a body that is not JSON`, {
      ...context,
      httpStatus: status,
      cause: error,
    });
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new PrometheusServerError(`Prometheus answered HTTP ${status} with an unexpected body`, {
      ...context,
      httpStatus: status,
      cause: envelope.error,
    });
  }
  const payload = envelope.data;
  if (payload.status === 'error') {
    if (status === 400 || status === 422) {
      throw new PrometheusBadQueryError({
        ...context,
        httpStatus: status,
        errorType: payload.errorType,
        upstreamError: payload.error,
      });
    }
    if (payload.errorType === 'timeout') {
      throw new PrometheusTimeoutError(`Prometheus timed out evaluating ${context.operation}: ${payload.error}`, {
        ...context,
        timeoutMs: null,
      });
    }
    throw new PrometheusServerError(`Prometheus error (HTTP ${status}, ${payload.errorType}): ${payload.error}`, {
      ...context,
      httpStatus: status,
    });
  }
  if (status < 200 || status >= 300) {
    throw new PrometheusServerError(`Prometheus answered HTTP ${status}`, { ...context, httpStatus: status });
  }
  const data = schema.safeParse(payload.data);
  if (!data.success) {
    throw new PrometheusServerError(
      `Prometheus ${context.operation} data did not match the API: ${data.error.message}`,
      {
        ...context,
        httpStatus: status,
        cause: data.error,
      },
    );
  }
  return { data: data.data, warnings: payload.warnings ?? [] };
}

export function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}
