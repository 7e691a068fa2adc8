import { CONFIG_FILE_ENV, settings, type Setting } from './settings';

export const TABLE_START =
  '<!-- configuration table: generated from server/config/settings.ts by scripts/config-table.ts -->';
export const TABLE_END = '<!-- end of configuration table -->';

/** The README's configuration table: one row per setting, in the module's order. */
export function configurationTable(): string {
  const rows = [
    '| variable | `BURNRATE_CONFIG` key | what | default |',
    '| --- | --- | --- | --- |',
    `| \`${CONFIG_FILE_ENV}\` | — | the configuration file (YAML or JSON; below) | none |`,
    ...(Object.values(settings) as Setting[]).map(
      (s) => `| \`${s.env}\` | ${s.file ? `\`${s.file}\`` : '—'} | ${s.what} | ${s.defaultText} |`,
    ),
    '| — | `clusters[]`: `name`, `context`, `prometheusUrl` | the clusters shown, each with its kubeconfig context (default: its name) and its own Prometheus (default: `prometheus.url`) | every kubeconfig context, one Prometheus |',
  ];
  return [TABLE_START, ...rows, TABLE_END].join('\n');
}

/** `readme` with its table replaced by the one the module describes now. */
export function withConfigurationTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no configuration table markers');
  return readme.slice(0, start) + configurationTable() + readme.slice(end + TABLE_END.length);
}
