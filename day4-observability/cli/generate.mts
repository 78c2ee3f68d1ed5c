// Writes generated/: the dashboards (JSON and their ConfigMap) and the PrometheusRule wrapping the rule file.
//   npm run generate -w @taskboard/day4-observability (an .mts file: an ES module, whatever the package type)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedFiles } from '../lib/generated.ts';

const root = path.resolve(import.meta.dirname, '../..');
for (const [file, content] of Object.entries(generatedFiles(root))) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
  console.log(`wrote ${file}`);
}
