// How the Cost page names where a figure came from.
const sourceNames: Record<string, string> = { bill: 'bill', opencost: 'OpenCost', 'price-sheet': 'price sheet' };

export function sourceLabel(sources: readonly string[], estimate: boolean): string {
  const names = sources.map((s) => sourceNames[s] ?? s).join(' + ');
  return estimate ? `${names || 'no price'} · estimate` : names;
}

export function ratioPercent(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(1)} %`;
}
