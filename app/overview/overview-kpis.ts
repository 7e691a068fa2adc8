import type { Unit } from '@/lib/format';

export interface OverviewKpi {
  panel: string;
  label: string;
  /** The page that explains the figure. */
  href: string;
  unit: Unit;
  testId: string;
}

/** Sparkline width; the charts on this page use the same, so tiles and charts share requests. */
export const overviewPoints = 120;

export const overviewKpis: OverviewKpi[] = [
  { panel: 'overview.gpuUtil', label: 'GPU activity', href: '/gpus', unit: 'ratio', testId: 'kpi-gpu-activity' },
  {
    panel: 'overview.requests',
    label: 'Requests/s',
    href: '/serving',
    unit: 'requests-per-second',
    testId: 'kpi-requests',
  },
  { panel: 'overview.latencyP95', label: 'p95 latency', href: '/serving', unit: 'seconds', testId: 'kpi-latency' },
  { panel: 'overview.cost', label: 'Cost per hour, estimate', href: '/cost', unit: 'usd-per-hour', testId: 'kpi-cost' },
  { panel: 'overview.energy', label: 'Energy per hour', href: '/energy', unit: 'kwh-per-hour', testId: 'kpi-energy' },
  { panel: 'overview.alerts', label: 'Firing alerts', href: '/alerts', unit: 'count', testId: 'kpi-alerts' },
  {
    panel: 'overview.pipelines',
    label: 'Running pipelines',
    href: '/pipelines',
    unit: 'count',
    testId: 'kpi-pipelines',
  },
];
