// The demo platform: two simulated clusters (Kubernetes API, workloads, exporters), their history
// in a Prometheus data dir, configs for Prometheus and Alertmanager, and FOCUS billing files.
// The launcher starts Prometheus, Alertmanager and the app on what this returns.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFocusExports } from './billing/focus-export.ts';
import { startKubeCluster, writeKubeconfig, type KubeCluster } from './kube/index.ts';
import { backfill } from './prometheus/backfill.ts';
import { alertmanagerConfigYaml, prometheusConfigYaml } from './prometheus/config.ts';
import { alertRulesYaml, recordingRulesYaml, type AlertRuleOptions } from './prometheus/rules.ts';
import type { SimPod } from './sim/cluster-state.ts';
import { startControlServer, startExportersServer } from './sim/http-servers.ts';
import { ApiStateRecorder } from './sim/api-history.ts';
import { clusterStateFromStore } from './sim/kube-adapter.ts';
import { LiveSimulation, ScenarioSwitch } from './sim/live.ts';
import { scenarioSchema } from './sim/scenario.ts';
import { ClusterSimulator } from './sim/simulator.ts';
import { readDemoState, resumeCheckpoint, withCheckpoint, writeDemoState, type DemoState } from './sim/state-file.ts';
import { backfillTiers } from './profiles/backfill-tiers.ts';
import { demoProfile, type DemoProfile } from './profiles/index.ts';
import { demoPorts, type ClusterName } from './topology.ts';

export interface DemoPlatformOptions {
  /** Directory for everything the demo writes (e.g. `.burnrate/demo`). */
  home: string;
  seed: number;
  /** `normal`, `spike`, `gpu-hot` or `pipeline-failure`, in force from start. */
  scenario: string;
  /** Base URL of the Burnrate app: scraped at /metrics, alerts posted to /api/alerts/webhook. */
  appUrl: string;
  /** Drop the Prometheus data and the saved state, and backfill the whole history again. */
  fresh: boolean;
  historyDays: number;
  log: (msg: string) => void;
  /** Optional: for tests that run beside a demo (defaults: topology `demoPorts`). */
  ports?: { kubeApi?: Partial<Record<ClusterName, number>>; exporters?: number; control?: number };
  /** Optional: default 127.0.0.1:9093. */
  alertmanagerAddress?: string;
  /** Optional: backfill resolution, default 120 s (twice that for history older than 7 days). */
  backfillStepSeconds?: number;
  /** Optional: Prometheus scrape and rule evaluation interval, default 15 s. */
  scrapeIntervalSeconds?: number;
  alertRules?: AlertRuleOptions;
  /** Default: the `default` profile (the topology's two clusters). */
  profile?: DemoProfile;
}

export interface DemoPlatform {
  kubeconfigPath: string;
  prometheusConfigPath: string;
  alertmanagerConfigPath: string;
  prometheusDataDir: string;
  billingDir: string;
  /** Control server (POST /scenario) and exporters server actually bound. */
  controlUrl: string;
  exportersUrl: string;
  /** Last backfilled instant: live scraping takes over from here. */
  backfilledUntilMs: number;
  stop(): Promise<void>;
}

const checkpointIntervalMs = 60_000;
/** How often the API's state is recorded for history while the backfill runs. */
const recordEveryMs = 5_000;
const catchUpAfterMs = 15_000;
/** History older than a week is written at twice the step (a quarter less to generate and ingest). */
const olderThanMs = 7 * 86_400_000;
const recentHistoryMs = 6 * 3_600_000;
const recentStepMs = 30_000;
/** Small files keep promtool's memory low and let it start early: 12 h coarse, 2 h fine. */
const coarseChunkMs = 12 * 3_600_000;
const recentChunkMs = 2 * 3_600_000;

export async function startDemoPlatform(opts: DemoPlatformOptions): Promise<DemoPlatform> {
  const now = Date.now;
  const scenarioName = scenarioSchema.parse(opts.scenario);
  const profile = opts.profile ?? demoProfile('default');
  const clusters = profile.clusters;
  const stepMs = (opts.backfillStepSeconds ?? 120) * 1000;
  const paths = {
    kubeconfig: path.join(opts.home, 'kubeconfig'),
    promDir: path.join(opts.home, 'prometheus'),
    data: path.join(opts.home, 'prometheus', 'data'),
    promConfig: path.join(opts.home, 'prometheus', 'prometheus.yml'),
    recording: path.join(opts.home, 'prometheus', 'recording-rules.yml'),
    alerts: path.join(opts.home, 'prometheus', 'alert-rules.yml'),
    amConfig: path.join(opts.home, 'alertmanager', 'alertmanager.yml'),
    billing: path.join(opts.home, 'billing'),
    state: path.join(opts.home, 'demo-state.json'),
    work: path.join(opts.home, 'tmp'),
  };
  let saved = opts.fresh ? null : await readDemoState(paths.state);
  if (saved && saved.seed !== opts.seed) {
    opts.log(`demo: seed changed (${saved.seed} → ${opts.seed}), rebuilding history`);
    saved = null;
  }
  if (saved && (await readdir(paths.data).catch(() => [])).length === 0) {
    opts.log('demo: no Prometheus data yet, backfilling the whole history');
    saved = null;
  }
  if (!saved) await Promise.all([paths.data, paths.billing].map((d) => rm(d, { recursive: true, force: true })));
  await Promise.all(
    [paths.promDir, path.dirname(paths.amConfig), paths.billing].map((d) => mkdir(d, { recursive: true })),
  );

  const started: { kube: KubeCluster[]; stops: (() => Promise<void>)[] } = { kube: [], stops: [] };
  const stopAll = async (): Promise<void> => {
    for (const stop of started.stops.reverse())
      await stop().catch((e: unknown) => opts.log(`demo: stop failed: ${String(e)}`));
  };
  try {
    const scenarios = new ScenarioSwitch(scenarioName, now);
    const failRunningSteps = (): boolean => scenarios.current().name === 'pipeline-failure';
    for (const spec of clusters) {
      const kube = await startKubeCluster(spec, {
        port: opts.ports?.kubeApi?.[spec.name] ?? demoPorts.kubeApi[spec.name],
        seed: opts.seed,
        now,
        failRunningSteps,
      });
      started.kube.push(kube);
      started.stops.push(() => kube.stop());
    }
    await writeKubeconfig(
      paths.kubeconfig,
      started.kube.map((k) => ({ name: k.name, url: k.url })),
    );

    const simulators = clusters.map(
      (spec) =>
        new ClusterSimulator(spec, {
          seed: opts.seed,
          scenario: () => scenarios.current(),
          metricFilter: profile.liveFilter,
        }),
    );
    const liveState = (i: number) => () => clusterStateFromStore(clusters[i]!, started.kube[i]!.store);

    const live = new LiveSimulation(
      simulators.map((simulator, i) => ({
        simulator,
        state: liveState(i),
        setKnativeScale: (ns, svc, replicas) => started.kube[i]!.setKnativeScale(ns, svc, replicas),
      })),
      now,
      undefined,
      profile.liveFreshForMs,
    );
    started.stops.push(async () => live.stop());
    // From here on the API is the truth: history written for these minutes reads what it recorded.
    live.startAutoscaler();
    const recorders = clusters.map((_, i) => new ApiStateRecorder(liveState(i), now()));
    const recordApi = (): void => {
      for (const r of recorders) r.record(now());
    };
    recordApi();
    const recording = setInterval(recordApi, recordEveryMs);
    started.stops.push(async () => clearInterval(recording));
    const exporters = await startExportersServer(live, opts.ports?.exporters ?? demoPorts.exporters);
    started.stops.push(exporters.close);
    const exportersAddress = `127.0.0.1:${exporters.port}`;

    const nowMs = now();
    const resume = saved ? resumeCheckpoint(saved) : null;
    if (resume)
      for (const sim of simulators) {
        const snapshot = resume.clusters[sim.spec.name];
        if (snapshot) sim.restore(snapshot);
      }
    const fromMs = resume?.tMs ?? nowMs - opts.historyDays * 86_400_000;
    opts.log(
      `demo: backfilling ${((nowMs - fromMs) / 60_000).toFixed(1)} min of history${profile.historyTiers ? ` in ${profile.historyTiers.length} tiers` : ` at ${stepMs / 1000} s resolution`}`,
    );
    const historyClusters = simulators.map((sim, i) => {
      const livePods = historyPods(liveState(i)().pods);
      const recorder = recorders[i]!;
      return {
        simulator: sim,
        stateAt: (t: number) => (t >= recorder.sinceMs ? recorder.stateAt(t) : sim.nominalState(t, livePods)),
      };
    });
    // The app's rate windows assume the 15 s scrape (60 s over an hour, 105 s over six): the last
    // hours are backfilled finely enough for those windows, older history coarsely, in one pipeline
    // of small files so that promtool works on one while the next is generated.
    const stretches = [
      { fromMs: 0, stepMs: 2 * stepMs, chunkMs: coarseChunkMs },
      { fromMs: nowMs - olderThanMs, stepMs, chunkMs: coarseChunkMs },
      { fromMs: nowMs - recentHistoryMs, stepMs: recentStepMs, chunkMs: recentChunkMs },
    ];
    const backfillTo = async (from: number): Promise<number> => {
      const common = { clusters: historyClusters, dataDir: paths.data, workDir: paths.work, exportersAddress };
      if (profile.historyTiers) {
        const tiers = profile.historyTiers;
        return backfillTiers({
          ...common,
          tiers,
          fromMs: from,
          nowMs,
          toMs: now(),
          liveFilter: profile.liveFilter,
          log: opts.log,
        });
      }
      const result = await backfill({ ...common, fromMs: from, toMs: now(), stepMs, stretches, log: opts.log });
      return result.lastMs;
    };
    let backfilledUntilMs = await backfillTo(fromMs);

    await writeFile(paths.recording, recordingRulesYaml());
    await writeFile(paths.alerts, alertRulesYaml({ ...opts.alertRules, clusters }));
    await writeFile(
      paths.promConfig,
      prometheusConfigYaml({
        exportersAddress,
        appAddress: new URL(opts.appUrl).host,
        alertmanagerAddress: opts.alertmanagerAddress ?? '127.0.0.1:9093',
        ruleFiles: [paths.recording, paths.alerts],
        clusters,
        scrapeIntervalSeconds: opts.scrapeIntervalSeconds ?? profile.scrapeIntervalSeconds,
        scrapeTimeoutSeconds: profile.scrapeTimeoutSeconds,
        evaluationIntervalSeconds: opts.scrapeIntervalSeconds ?? profile.scrapeIntervalSeconds,
      }),
    );
    await writeFile(
      paths.amConfig,
      alertmanagerConfigYaml({ webhookUrl: new URL('/api/alerts/webhook', opts.appUrl).toString() }),
    );
    const billingFrom = nowMs - opts.historyDays * 86_400_000;
    await writeFocusExports({
      dir: paths.billing,
      fromMs: billingFrom,
      toMs: nowMs,
      seed: opts.seed,
      keepCompleteMonths: saved !== null,
      clusters,
    });
    // A long backfill leaves minutes behind it: a short second pass brings history up to seconds ago.
    if (now() - backfilledUntilMs > catchUpAfterMs) backfilledUntilMs = await backfillTo(backfilledUntilMs + 1);
    clearInterval(recording);
    live.start();

    const controls = new Map(
      started.kube.map((kube) => [
        kube.name,
        {
          setApiServerUp: (up: boolean) => kube.setApiServerUp(up),
          scaleInStore: (namespace: string, name: string, replicas: number) => {
            const deployment = kube.store.get('deployments.apps', namespace, name);
            if (!deployment) return false;
            kube.store.update('deployments.apps', { ...deployment, spec: { ...deployment.spec, replicas } });
            kube.reconcile();
            return true;
          },
        },
      ]),
    );
    const control = await startControlServer(
      scenarios,
      opts.ports?.control ?? demoPorts.control,
      '127.0.0.1',
      controls,
    );
    started.stops.push(control.close);

    let state: DemoState = saved ?? { version: 1, seed: opts.seed, lastLiveMs: backfilledUntilMs, checkpoints: [] };
    const checkpoint = async (): Promise<void> => {
      const t = now();
      for (const c of clusters) live.samples(c.name);
      state = withCheckpoint(state, t, Object.fromEntries(simulators.map((s) => [s.spec.name, s.snapshot()])));
      await writeDemoState(paths.state, state);
    };
    await checkpoint();
    const timer = setInterval(
      () => void checkpoint().catch((e: unknown) => opts.log(`demo: checkpoint failed: ${String(e)}`)),
      checkpointIntervalMs,
    );
    timer.unref();
    // Registered last so it runs first: the final checkpoint sees the servers still up.
    started.stops.push(async () => {
      clearInterval(timer);
      await checkpoint();
    });

    opts.log(`demo: exporters on ${exportersAddress}, control on 127.0.0.1:${control.port}, scenario ${scenarioName}`);
    return {
      kubeconfigPath: paths.kubeconfig,
      prometheusConfigPath: paths.promConfig,
      alertmanagerConfigPath: paths.amConfig,
      prometheusDataDir: paths.data,
      billingDir: paths.billing,
      controlUrl: `http://127.0.0.1:${control.port}`,
      exportersUrl: `http://${exportersAddress}`,
      backfilledUntilMs,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Deployment pods as history should show them: the ones running now, as if always running. */
function historyPods(pods: SimPod[]): SimPod[] {
  return pods
    .filter(
      (p) =>
        (p.role.kind === 'service' || (p.role.kind === 'serving' && p.role.workload.kind === 'Deployment')) &&
        p.nodeName &&
        p.phase !== 'Failed',
    )
    .map((p) => ({ ...p, phase: 'Running', ready: true }));
}
