import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerConfigYaml, prometheusConfigYaml } from './config.ts';
import { alertRulesYaml, recordingRulesYaml } from './rules.ts';

const run = promisify(execFile);

describe('generated Prometheus and Alertmanager configuration', () => {
  let dir: string;
  const file = (name: string): string => path.join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'burnrate-rules-'));
    await writeFile(file('recording.yml'), recordingRulesYaml());
    await writeFile(file('alerts.yml'), alertRulesYaml());
    await writeFile(
      file('prometheus.yml'),
      prometheusConfigYaml({
        exportersAddress: '127.0.0.1:9450',
        appAddress: '127.0.0.1:3000',
        alertmanagerAddress: '127.0.0.1:9093',
        ruleFiles: [file('recording.yml'), file('alerts.yml')],
      }),
    );
    await writeFile(
      file('alertmanager.yml'),
      alertmanagerConfigYaml({ webhookUrl: 'http://127.0.0.1:3000/api/alerts/webhook' }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes promtool check config and check rules', async () => {
    const config = await run('promtool', ['check', 'config', file('prometheus.yml')]);
    expect(config.stdout).toContain('is valid prometheus config file syntax');
    const rules = await run('promtool', ['check', 'rules', file('recording.yml'), file('alerts.yml')]);
    expect(rules.stdout).toMatch(/SUCCESS: \d+ rules found[\s\S]*SUCCESS: \d+ rules found/);
  });

  it('passes amtool check-config', async () => {
    const out = await run('amtool', ['check-config', file('alertmanager.yml')]);
    expect(out.stdout).toContain('SUCCESS');
  });

  it('fires QueueBacklog and LatencyP95OverSLO for chat-llm in a traffic spike (promtool test rules)', async () => {
    const pod = (name: string): string => `cluster="us-east-prod",namespace="llm-serving",pod="${name}"`;
    const labels = (name: string): string =>
      `kube_pod_labels{${pod(name)},label_app_kubernetes_io_name="chat-llm",label_burnrate_dev_team="assistant"}`;
    // Per pod and minute: 486 requests within 8 s, 540 within 12 s. p95 rank = 0.95 × 540 = 513, which
    // lies (513 − 486) ÷ (540 − 486) = 0.5 into the (8, 12] bucket: 8 + 0.5 × 4 = 10 s, above the 6 s
    // SLO. 40 requests wait per pod, above the threshold of 10.
    const buckets = (name: string): { series: string; values: string }[] =>
      [
        { le: '5', perMin: 0 },
        { le: '8', perMin: 486 },
        { le: '12', perMin: 540 },
        { le: '+Inf', perMin: 540 },
      ].map((b) => ({
        series: `vllm:e2e_request_latency_seconds_bucket{${pod(name)},le="${b.le}"}`,
        values: `0+${b.perMin}x15`,
      }));
    const test = {
      rule_files: [file('recording.yml'), file('alerts.yml')],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: ['chat-llm-a', 'chat-llm-b'].flatMap((name) => [
            { series: labels(name), values: '1x15' },
            { series: `vllm:num_requests_waiting{${pod(name)}}`, values: '40x15' },
            ...buckets(name),
          ]),
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'QueueBacklog',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'warning',
                    team: 'assistant',
                    cluster: 'us-east-prod',
                    namespace: 'llm-serving',
                    workload: 'chat-llm',
                  },
                  exp_annotations: {
                    summary: 'chat-llm has 40 requests waiting per replica',
                    description:
                      'Requests are queueing in vLLM faster than the replicas drain them; latency will follow. Scale llm-serving/chat-llm out.',
                  },
                },
              ],
            },
            { eval_time: '1m', alertname: 'LatencyP95OverSLO', exp_alerts: [] },
            {
              eval_time: '5m',
              alertname: 'LatencyP95OverSLO',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'critical',
                    team: 'assistant',
                    cluster: 'us-east-prod',
                    namespace: 'llm-serving',
                    workload: 'chat-llm',
                    slo_seconds: '6',
                  },
                  exp_annotations: {
                    summary: 'chat-llm p95 latency 10s is over its 6s SLO',
                    description:
                      'p95 request latency of llm-serving/chat-llm in us-east-prod has been above 6s for 2 minutes. Offered load may exceed what its ready replicas serve: scale it out.',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    await writeFile(file('spike.test.yml'), stringify(test));
    const out = await run('promtool', ['test', 'rules', file('spike.test.yml')]).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    expect(`${out.stdout}${out.stderr}`).toContain('SUCCESS');
  });
});
