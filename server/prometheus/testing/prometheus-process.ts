import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { freePort } from '@/scripts/lib/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Test helper: starts a real Prometheus (Debian package) with backfilled data. Not imported by app code.

export const prometheusBinary = '/usr/bin/prometheus';
export const promtoolBinary = '/usr/bin/promtool';

export interface OpenMetricsSeries {
  /** Metric name, e.g. `DCGM_FI_DEV_GPU_UTIL` or `vllm:request_success_total`. */
  name: string;
  labels?: Record<string, string>;
  /** [epoch seconds, value], ascending in time. */
  samples: [timestampSeconds: number, value: number][];
}

export interface StartPrometheusOptions {
  /** Backfilled with promtool before start, so the data is queryable at once. */
  openMetrics?: string;
  /** prometheus.yml contents; default: a global section and no scrape jobs. */
  configYaml?: string;
  /** Default: a free port chosen by the OS. */
  port?: number;
  extraArgs?: string[];
}

export interface PrometheusProcess {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); data and port stay for `restart`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops it and removes its temp directory. */
  close(): Promise<void>;
}

function escapeOpenMetricsLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatOpenMetricsValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** OpenMetrics text for promtool backfill: series grouped by name, `# EOF` at the end, timestamps in seconds. */
export function openMetricsText(series: OpenMetricsSeries[]): string {
  const byName = new Map<string, OpenMetricsSeries[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, group] of byName) {
    lines.push(`# TYPE ${name} unknown`);
    for (const s of group) {
      const labelText = Object.entries(s.labels ?? {})
        .map(([key, value]) => `${key}="${escapeOpenMetricsLabelValue(value)}"`)
        .join(',');
      const prefix = labelText ? `${name}{${labelText}}` : name;
      for (const [timestampSeconds, value] of s.samples) {
        lines.push(`${prefix} ${formatOpenMetricsValue(value)} ${timestampSeconds}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function runToCompletion(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`)),
    );
  });
}

/** Writes TSDB blocks into `dataDir` from OpenMetrics text (blocks up to 14 days long). */
export async function createBlocksFromOpenMetrics(openMetrics: string, dataDir: string): Promise<void> {
  const inputFile = join(dataDir, '..', `backfill-${process.pid}-${Date.now()}.om`);
  await writeFile(inputFile, openMetrics);
  try {
    await runToCompletion(promtoolBinary, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--max-block-duration=336h',
      inputFile,
      dataDir,
    ]);
  } finally {
    await rm(inputFile, { force: true });
  }
}

async function waitUntilReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${logs()}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus at ${url} not ready after 30 s: ${logs()}`);
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a real Prometheus on 127.0.0.1 with a temp data dir, optionally backfilled first. */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<PrometheusProcess> {
  const rootDir = await mkdtemp(join(tmpdir(), 'burnrate-prometheus-'));
  const dataDir = join(rootDir, 'data');
  const configFile = join(rootDir, 'prometheus.yml');
  await writeFile(configFile, options.configYaml ?? 'global:\n  scrape_interval: 15s\n');
  if (options.openMetrics) await createBlocksFromOpenMetrics(options.openMetrics, dataDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  const launch = async (): Promise<void> => {
    log = '';
    const started = spawn(
      prometheusBinary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Backfilled history must survive the default 15-day retention.
        '--storage.tsdb.retention.time=3650d',
        ...(options.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    started.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    child = started;
    try {
      await waitUntilReady(url, started, () => log);
    } catch (error) {
      started.kill('SIGKILL');
      await waitForExit(started);
      throw error;
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    if (!running) return;
    child = null;
    const exited = waitForExit(running);
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (error) {
    await rm(rootDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    dataDir,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    close: async () => {
      await stop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
