// The groupings of the Cost page, the `cost` command and the allocation API. Browser-safe.
export const costDimensions = ['cluster', 'team', 'namespace', 'workload', 'pod'] as const;
export type CostDimension = (typeof costDimensions)[number];

export const costDimensionLabels: Record<CostDimension, string> = {
  cluster: 'Cluster',
  team: 'Team',
  namespace: 'Namespace',
  workload: 'Workload',
  pod: 'Pod',
};
