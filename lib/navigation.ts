// The side navigation: one entry per page, in the order users work through them.
export interface NavItem {
  href: string;
  label: string;
  /** What the page answers, shown under its title. */
  summary: string;
}

export const navItems: NavItem[] = [
  {
    href: '/overview',
    label: 'Overview',
    summary: 'GPU use, traffic, latency, cost and energy per cluster, at a glance.',
  },
  { href: '/pipelines', label: 'Pipelines', summary: 'Argo pipeline runs and their steps, live.' },
  { href: '/serving', label: 'Serving', summary: 'Deployments and Knative services: replicas, rollouts, pods.' },
  { href: '/gpus', label: 'GPUs', summary: 'Allocated against used GPUs, per node, per device and per workload.' },
  {
    href: '/cost',
    label: 'Cost',
    summary: 'Cost per workload, per request and per 1M tokens, with idle and shared costs.',
  },
  { href: '/energy', label: 'Energy', summary: 'Energy and CO2e per workload and per request.' },
  { href: '/alerts', label: 'Alerts', summary: 'Firing alerts with what changed, what it costs and how to fix it.' },
  { href: '/reports', label: 'Reports', summary: 'Monthly cost reports by team with budget, forecast and trend.' },
  { href: '/billing', label: 'Billing', summary: 'Imported FOCUS billing exports: explore, filter and export.' },
  { href: '/audit', label: 'Audit', summary: 'Every action taken through Burnrate: who, what, when and the result.' },
  { href: '/settings', label: 'Settings', summary: 'Data sources, prices, PUE and grid intensity, budgets, roles.' },
];
