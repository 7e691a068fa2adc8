/** Runs once when the server starts: open the database so migrations run before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // The configuration is read here, once: a bad setting stops the server (ConfigError names the key).
  (await import('@/server/config')).appConfigAtStart();
  const { getDatabase } = await import('@/server/db/client');
  const { logger } = await import('@/server/observability/logger');
  // Panels find their exporters already discovered (otherwise the first visitor of each cluster waits).
  const { configuredClusters } = await import('@/server/clusters/config');
  const { warmExporterDiscovery } = await import('@/server/metrics/run-panel');
  try {
    void warmExporterDiscovery(configuredClusters().map((c) => c.name));
  } catch (error) {
    logger().warn({ err: error }, 'no clusters to discover exporters for at start');
  }
  try {
    const database = await getDatabase();
    logger().info({ driver: database.driver, location: database.location }, 'database ready, migrations applied');
    const billing = await import('@/server/billing/ingest-service');
    void billing.startBillingWatch();
    // Cost allocation in the background: the history Prometheus holds, then each hour and each new bill.
    const costJob = await import('@/server/cost/job-runner');
    costJob.startCostJob();
    billing.onBillingImported(() => void costJob.runNow());
  } catch (error) {
    // The app still serves: /api/health reports the database down with the reason.
    logger().error({ err: error }, 'database failed to open');
  }
}
