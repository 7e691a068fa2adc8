// Writes the configuration table of README.md from server/config/settings.ts:
// `node --import tsx scripts/config-table.ts` after adding or changing a setting.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withConfigurationTable } from '../server/config/table';

const readme = path.resolve(import.meta.dirname, '..', 'README.md');
writeFileSync(readme, withConfigurationTable(readFileSync(readme, 'utf8')));
