import 'server-only';
import {
  ApiException,
  AppsV1Api,
  AuthorizationV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { DomainError, type DomainErrorCode } from '@/server/errors';
import { kubeConfigOfCluster } from './client';

/** A workload the verbs act on (the actions' WorkloadRef has this shape). */
export interface VerbTarget {
  namespace: string;
  kind: 'Deployment' | 'KnativeService';
  name: string;
}

/** A Deployment's revision, as the rollback verb reads it. */
export type ReplicaSetObject = V1ReplicaSet;

/** A Kubernetes answer other than 2xx, with its HTTP status kept for the audit log. */
export class KubeCallError extends DomainError {
  constructor(
    code: DomainErrorCode,
    message: string,
    where: string,
    readonly statusCode: number | null,
    options?: { cause?: unknown },
  ) {
    super(code, message, where, options);
  }
}

export interface KubeObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    generation?: number;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface Impersonation {
  user: string;
}

const knative = { group: 'serving.knative.dev', version: 'v1', plural: 'services' } as const;

function statusMessage(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return body.slice(0, 300) || undefined;
  }
}

/** One mapping from Kubernetes answers to domain errors; 409 is "someone else changed it". */
function mapKubeError(error: unknown, where: string): KubeCallError {
  if (error instanceof KubeCallError) return error;
  if (error instanceof ApiException) {
    const status = error.code;
    const detail = statusMessage(error.body) ?? `HTTP ${status}`;
    const code: DomainErrorCode =
      status === 404
        ? 'NOT_FOUND'
        : status === 409
          ? 'CONFLICT'
          : status === 403 || status === 401
            ? 'FORBIDDEN'
            : status === 422 || status === 400
              ? 'BAD_INPUT'
              : status === 429
                ? 'RATE_LIMITED'
                : 'UPSTREAM_UNAVAILABLE';
    const message =
      status === 409
        ? `Someone else changed it since you looked (${detail}). Reload and try again.`
        : status === 404
          ? `Not found: ${detail}`
          : detail;
    return new KubeCallError(code, message, where, status, { cause: error });
  }
  return new KubeCallError(
    'UPSTREAM_UNAVAILABLE',
    `The Kubernetes API did not answer: ${(error as Error).message}`,
    where,
    null,
    { cause: error },
  );
}

/**
 * The Kubernetes verbs of actions on one cluster, as the app's identity (or impersonating a
 * person), with the same credentials as the cluster's watches.
 */
export class KubeVerbs {
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly authz: AuthorizationV1Api;
  private readonly where: string;

  constructor(
    readonly cluster: string,
    private readonly impersonate?: Impersonation,
  ) {
    const config = kubeConfigOfCluster(cluster);
    if (config instanceof Error) throw new DomainError('NOT_FOUND', config.message, 'cluster');
    this.apps = config.makeApiClient(AppsV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.authz = config.makeApiClient(AuthorizationV1Api);
    this.where = `Kubernetes API of ${cluster}`;
  }

  private options(contentType?: string): ReturnType<typeof setHeaderOptions> | undefined {
    let options = contentType ? setHeaderOptions('Content-Type', contentType) : undefined;
    if (this.impersonate) options = setHeaderOptions('Impersonate-User', this.impersonate.user, options);
    return options;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapKubeError(error, this.where);
    }
  }

  readWorkload(ref: VerbTarget): Promise<KubeObjectLike> {
    if (ref.kind === 'Deployment') {
      return this.call(
        () =>
          this.apps.readNamespacedDeployment(
            { name: ref.name, namespace: ref.namespace },
            this.options(),
          ) as Promise<KubeObjectLike>,
      );
    }
    return this.call(
      () =>
        this.custom.getNamespacedCustomObject(
          { ...knative, namespace: ref.namespace, name: ref.name },
          this.options(),
        ) as Promise<KubeObjectLike>,
    );
  }

  /** The Deployment's ReplicaSets (its revisions), owned by its uid. */
  async replicaSetsOf(deployment: V1Deployment | KubeObjectLike): Promise<V1ReplicaSet[]> {
    const namespace = deployment.metadata?.namespace ?? '';
    const list = await this.call(() => this.apps.listNamespacedReplicaSet({ namespace }, this.options()));
    return list.items.filter((rs) =>
      rs.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid),
    );
  }

  /** `PATCH …/scale` with a merge patch, as kubectl scale and Headlamp do. */
  patchScale(ref: VerbTarget, body: object, dryRun: boolean): Promise<KubeObjectLike> {
    return this.call(
      () =>
        this.apps.patchNamespacedDeploymentScale(
          {
            name: ref.name,
            namespace: ref.namespace,
            body,
            dryRun: dryRun ? 'All' : undefined,
            fieldManager: 'burnrate',
          },
          this.options(PatchStrategy.MergePatch),
        ) as Promise<KubeObjectLike>,
    );
  }

  patchWorkload(ref: VerbTarget, body: object, dryRun: boolean): Promise<KubeObjectLike> {
    const dry = dryRun ? 'All' : undefined;
    if (ref.kind === 'Deployment') {
      return this.call(
        () =>
          this.apps.patchNamespacedDeployment(
            { name: ref.name, namespace: ref.namespace, body, dryRun: dry, fieldManager: 'burnrate' },
            this.options(PatchStrategy.MergePatch),
          ) as Promise<KubeObjectLike>,
      );
    }
    return this.call(
      () =>
        this.custom.patchNamespacedCustomObject(
          { ...knative, namespace: ref.namespace, name: ref.name, body, dryRun: dry, fieldManager: 'burnrate' },
          this.options(PatchStrategy.MergePatch),
        ) as Promise<KubeObjectLike>,
    );
  }

  /** SelfSubjectAccessReview: may this identity (the app's, or the impersonated person's) do the verb? */
  async canI(attributes: {
    verb: string;
    group: string;
    resource: string;
    subresource?: string;
    namespace: string;
    name: string;
  }): Promise<{ allowed: boolean; reason?: string }> {
    const review = await this.call(() =>
      this.authz.createSelfSubjectAccessReview(
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: attributes },
          },
        },
        this.options(),
      ),
    );
    return {
      allowed: review.status?.allowed === true,
      reason: review.status?.reason ?? review.status?.evaluationError,
    };
  }
}
