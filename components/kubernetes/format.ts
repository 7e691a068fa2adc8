import type { GpuRequest } from '@/server/kubernetes/types';

/** `2026-11-24 16:31:03 UTC`: every time on the live pages is UTC. */
export function formatUtc(iso: string | null): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration as kubectl prints ages: `45s`, `12m`, `3h4m`, `2d5h`. */
export function formatDurationMs(durationMs: number): string {
  if (!Number.isFinite(durationMs) || durationMs < 0) return '—';
  const seconds = Math.floor(durationMs / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 || minutes >= 10 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
}

export function formatAge(iso: string | null, nowMs: number): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? formatDurationMs(Math.max(0, nowMs - ms)) : '—';
}

/** Between two instants; a running span (no end) runs to `nowMs`. */
export function spanMs(startIso: string | null, endIso: string | null, nowMs: number): number | null {
  if (!startIso) return null;
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : nowMs;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null;
}

export function formatGpuRequest(gpu: GpuRequest): string {
  const parts: string[] = [];
  if (gpu.whole > 0) parts.push(String(gpu.whole));
  if (gpu.sharedSlices > 0) parts.push(`${gpu.sharedSlices} shared`);
  return parts.length > 0 ? parts.join(' + ') : '—';
}

/** GPU-seconds (Argo's resourcesDuration) as GPU hours with two decimals. */
export function formatGpuHours(gpuSeconds: number): string {
  return gpuSeconds > 0 ? (gpuSeconds / 3600).toFixed(2) : '—';
}

export function phaseTone(phase: string): 'ok' | 'bad' | 'warn' | '' {
  if (phase === 'Succeeded' || phase === 'Running') return phase === 'Succeeded' ? 'ok' : 'warn';
  if (phase === 'Failed' || phase === 'Error') return 'bad';
  return '';
}
