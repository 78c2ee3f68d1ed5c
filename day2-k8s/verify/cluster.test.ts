import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { repoRoot } from '@taskboard/verify/src/check';
import { findTool } from '@taskboard/verify/src/tools';
import { clusterAvailability, kubectlRun, type Rendered } from '@taskboard/verify/src/k8s';
import { DAY, render } from './checks';

/*
 * Cluster tier: apply the base to a throwaway namespace of the current kube context, wait for the rollouts,
 * smoke test through port-forwards, delete the namespace. Needs a cluster prepared as in the README (steps 1-3:
 * kind cluster, cert-manager, Traefik, images loaded). The GitHub kind workflow runs it with VERIFY_CLUSTER=1.
 */

const enable =
  'VERIFY_CLUSTER=1 npm run verify:day2 against a prepared cluster (day2-k8s/README.md steps 1-3: kind cluster, Gateway API CRDs, cert-manager, Traefik, kind load docker-image)';
const kubectl = findTool('kubectl', repoRoot);
const availability = clusterAvailability(kubectl);

if (!availability.ok) {
  process.stderr.write(`\n⚠ SKIPPED day 2 cluster tier: ${availability.reason}. Enable it with: ${enable}\n`);
}

const describeCluster = availability.ok ? describe : describe.skip;
const title = availability.ok
  ? `day 2 cluster tier (context ${availability.context})`
  : `day 2 cluster tier [SKIPPED: ${availability.reason}; enable with: ${enable}]`;

describeCluster(title, () => {
  const namespace = `taskboard-verify-${randomBytes(3).toString('hex')}`;
  const forwards: ChildProcess[] = [];
  const k = (...args: string[]) => kubectlRun(kubectl!, args);
  const must = (...args: string[]) => {
    const result = k(...args);
    if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };

  /** The base, moved to the throwaway namespace, with a fresh password and without the shared Ingress host. */
  function manifests(): string {
    const { objects } = render(kubectl!, repoRoot, `${DAY}/base`);
    const kept: Rendered[] = objects.filter((r) => !['Namespace', 'Ingress'].includes(r.obj.kind));
    for (const r of kept) {
      if (r.obj.kind !== 'ClusterIssuer') r.obj.metadata.namespace = namespace;
      if (r.obj.kind === 'Secret' && r.obj.metadata.name.startsWith('postgres')) {
        r.obj.data = { password: Buffer.from(randomBytes(18).toString('hex')).toString('base64') };
      }
    }
    return kept.map((r) => JSON.stringify(r.obj)).join('\n');
  }

  async function portForward(target: string, port: number): Promise<number> {
    const child = spawn(kubectl!, ['-n', namespace, 'port-forward', target, `:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forwards.push(child);
    return new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /127\.0\.0\.1:(\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`port-forward ${target} exited ${code}: ${output}`)));
    });
  }

  beforeAll(() => {
    must('create', 'namespace', namespace);
    must('label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted');
    const applied = kubectlRun(kubectl!, ['apply', '-f', '-'], manifests());
    if (applied.status !== 0)
      throw new Error(`kubectl apply failed (is cert-manager installed?):\n${applied.stderr}`);
  });

  afterAll(() => {
    for (const child of forwards) child.kill();
    k('delete', 'namespace', namespace, '--wait=false');
  });

  it('postgres StatefulSet rolls out', () => {
    must('-n', namespace, 'rollout', 'status', 'statefulset/postgres', '--timeout=180s');
  });

  it('migrate Job completes', () => {
    must('-n', namespace, 'wait', '--for=condition=complete', 'job/migrate', '--timeout=180s');
  });

  it('api Deployment rolls out with 2 ready replicas', () => {
    must('-n', namespace, 'rollout', 'status', 'deployment/api', '--timeout=180s');
    expect(must('-n', namespace, 'get', 'deployment/api', '-o', 'jsonpath={.status.readyReplicas}')).toBe(
      '2',
    );
  });

  it('web Deployment rolls out', () => {
    must('-n', namespace, 'rollout', 'status', 'deployment/web', '--timeout=120s');
  });

  it('cert-manager issues the TLS certificate', () => {
    must('-n', namespace, 'wait', '--for=condition=Ready', 'certificate/taskboard-tls', '--timeout=120s');
  });

  it('api answers /readyz and round-trips a task through the Service', async () => {
    const port = await portForward('service/api', 3000);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const created = await fetch(`http://127.0.0.1:${port}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'verify day 2' }),
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: string };
    const read = await fetch(`http://127.0.0.1:${port}/api/tasks/${task.id}`);
    expect(await read.json()).toMatchObject({ id: task.id, title: 'verify day 2' });
  });

  it('web serves the SPA through its Service', async () => {
    const port = await portForward('service/web', 80);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
  });
});
