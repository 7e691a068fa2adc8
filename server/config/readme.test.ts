import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load';
import { settings } from './settings';
import { configurationTable, withConfigurationTable } from './table';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('the README configuration table', () => {
  it('is the one the config module describes (regenerate: node --import tsx scripts/config-table.ts)', () => {
    expect(withConfigurationTable(readme)).toBe(readme);
    expect(readme).toContain(configurationTable());
  });

  it('names every variable of the module, and no variable the module does not read', () => {
    const table = configurationTable();
    const inReadme = new Set(
      [...readme.slice(readme.indexOf(table), readme.indexOf(table) + table.length).matchAll(/^\| `([A-Z_]+)`/gm)].map(
        (m) => m[1],
      ),
    );
    expect([...inReadme].sort()).toEqual(['BURNRATE_CONFIG', ...Object.values(settings).map((s) => s.env)].sort());
  });

  it('shows an example file the module accepts', () => {
    const example = /```yaml\n# burnrate\.config\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = parseConfig({ BURNRATE_CONFIG: '/etc/burnrate/burnrate.config.yaml' }, () => example!);
    expect(config.clusters?.map((c) => c.name)).toEqual(['us-east-prod', 'eu-west-batch']);
    expect(config.authMode).toBe('oidc');
  });
});
