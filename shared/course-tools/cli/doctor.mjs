// Entry point of `npm run doctor`. Plain JavaScript on purpose: it must start on an old Node (the system
// Node 20 of many laptops) to say that Node is too old, before loading the TypeScript doctor.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '../../..');
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
// Node runs .ts files directly from 22.18 on (type stripping).
const runsTypeScript = major > 22 || (major === 22 && minor >= 18);

if (!runsTypeScript) {
  const courseNode = path.join(root, '.tools', 'node', 'bin', 'node');
  if (fs.existsSync(courseNode)) {
    const run = spawnSync(courseNode, [self, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(run.status ?? 1);
  }
  console.error(
    `node ${process.version} is too old for this course, which expects Node 24.x (LTS).\n` +
      'Install it with: nvm install 24   or: source scripts/bootstrap-tools.sh',
  );
  process.exit(1);
}

const { main } = await import('./doctor.ts');
process.exit(main(process.argv.slice(2), root));
