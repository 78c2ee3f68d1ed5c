// Profiles one server under one load scenario: node --cpu-prof, then the functions with the most self time.
// Usage (from shared/bench): node --import ./cli/register-ts.mjs cli/profile.ts [api|apiQuiet|baseline] [list|byId|create|mixed]
// Open the written .cpuprofile in Chrome DevTools (Performance tab) or VS Code for the full call tree.
import { execFile } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, stopAll } from '@taskboard/testkit';
import { prepareBenchDatabase } from '../src/database.ts';
import type { LoadResult, Scenario } from '../src/load.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const target = process.argv[2] ?? 'api';
const scenario = (process.argv[3] ?? 'list') as Scenario;
if (!['api', 'apiQuiet', 'baseline'].includes(target))
  throw new Error(`unknown server "${target}": api, apiQuiet or baseline`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** Self time per function (name, file and line), as a share of all samples. */
function topFunctions(profile: Profile, count: number): string[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const tally = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = frames.get(id);
    const file = frame?.url.replace(`file://${repoRoot}/`, '') ?? '';
    const key = `${frame?.functionName || '(anonymous)'} ${file}:${(frame?.lineNumber ?? 0) + 1}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${((hits / profile.samples.length) * 100).toFixed(1).padStart(5)} %  ${key}`);
}

/** Self time per package (node_modules/<name>, the API's dist, Node internals, native code), as a share of samples. */
function byPackage(profile: Profile): string[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const tally = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = frames.get(id);
    const url = frame?.url ?? '';
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url.includes('/shared/app/api/dist/') ? 'taskboard api (dist)' : undefined) ??
      (url.startsWith('node:') ? 'node internals' : undefined) ??
      (url === '' ? `native: ${frame?.functionName || '?'}` : url.replace(`file://${repoRoot}/`, ''));
    tally.set(pkg, (tally.get(pkg) ?? 0) + 1);
  }
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([pkg, hits]) => `${((hits / profile.samples.length) * 100).toFixed(1).padStart(5)} %  ${pkg}`);
}

async function main(): Promise<void> {
  const database = await prepareBenchDatabase(repoRoot, 10_000);
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-cpuprofile-'));
  try {
    const port = await freePort();
    const script =
      target === 'baseline'
        ? path.join(repoRoot, 'shared/bench/src/baseline-server.ts')
        : path.join(repoRoot, 'shared/app/api/dist/server.js');
    const quiet = target === 'apiQuiet';
    const server = startProcess(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, script], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        WEB_DIST_DIR: '',
        DATABASE_URL: target === 'baseline' ? database.baselineUrl : database.apiUrl,
        LOG_LEVEL: quiet ? 'silent' : 'info',
        METRICS_ENABLED: quiet ? 'false' : 'true',
      },
      stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'],
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (
        (await fetch(`${url}/api/tasks`).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { stdout } = await run(process.execPath, [
      path.join(repoRoot, 'shared/bench/src/load.ts'),
      JSON.stringify({ url, scenario, connections: 10, durationSeconds: 8, ids: database.ids }),
    ]);
    const result = JSON.parse(stdout) as LoadResult;
    await server.stop('SIGTERM');
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written in ${profileDir}:\n${server.output()}`);
    const profile = JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as Profile;
    console.log(
      `${target} ${scenario}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99Ms} ms (profiling slows it)`,
    );
    console.log(`profile: ${path.join(profileDir, file)}\nself time:`);
    for (const line of topFunctions(profile, 45)) console.log(line);
    console.log('self time by package:');
    for (const line of byPackage(profile)) console.log(line);
  } finally {
    await stopAll();
    await database.postgres.destroy();
  }
}

void main();
