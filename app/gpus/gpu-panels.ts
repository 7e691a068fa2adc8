/** Same width as the charts, so tiles and charts share one request per panel. */
export const gpuChartPoints = 300;

/** Same width as the server's device table, which reuses the heatmap's query for its range mean. */
export const heatmapPoints = 120;

/** The GPU page's range panels and the width each is asked at (tiles, charts and the server's prefetch). */
export const gpuRangePanels: { panel: string; pointsWanted: number }[] = [
  { panel: 'gpu.allocation', pointsWanted: gpuChartPoints },
  { panel: 'gpu.idleAllocated', pointsWanted: gpuChartPoints },
  { panel: 'gpu.utilisation', pointsWanted: gpuChartPoints },
  { panel: 'gpu.memory', pointsWanted: gpuChartPoints },
  { panel: 'gpu.power', pointsWanted: gpuChartPoints },
  { panel: 'gpu.heatmap', pointsWanted: heatmapPoints },
  { panel: 'gpu.byWorkload', pointsWanted: gpuChartPoints },
];

/** The panels whose value now the tiles show (instant queries; the server prefetches them too). */
export const gpuNowPanels = [
  'gpu.allocation',
  'gpu.utilisation',
  'gpu.memory',
  'gpu.power',
  'gpu.idleAllocated',
] as const;
