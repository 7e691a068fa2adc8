import 'server-only';
import { liveStream, type LiveEnvelope } from './live-stream';
import { kubeRegistry } from './registry';
import type { ClusterConnection, LiveKind } from './types';

export type { WorkloadIdentity, WorkloadKind, LiveKind, LiveObject, LiveMessage, ClusterConnection } from './types';
export { kubernetesProbes } from './health';

export const ALL_CLUSTERS = 'all';

export interface LiveStateRequest {
  /** A cluster name, or 'all'. */
  cluster: string;
  kinds: LiveKind[];
  namespace?: string;
  eventsAbout?: string[];
  lastEventId?: string | null;
}

function clustersOf(cluster: string): string[] {
  return cluster === ALL_CLUSTERS ? kubeRegistry().clusterNames() : [cluster];
}

/** The live state a page asked for, from the shared watch caches (see live-stream.ts). */
export function streamLiveState(request: LiveStateRequest, signal: AbortSignal): AsyncGenerator<LiveEnvelope> {
  const { cluster, lastEventId, ...rest } = request;
  return liveStream(kubeRegistry(), { ...rest, clusters: clustersOf(cluster) }, lastEventId, signal);
}

/** Connection state of each configured cluster (or the one asked for). */
export function clusterConnections(cluster: string = ALL_CLUSTERS): ClusterConnection[] {
  return kubeRegistry().connections(clustersOf(cluster));
}
