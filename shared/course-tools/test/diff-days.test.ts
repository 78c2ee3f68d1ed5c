import { spawnSync } from 'node:child_process';
import path from 'node:path';

// scripts/diff-days.sh renders two days with the real kubectl and helm (from PATH or .tools/bin) and diffs them.
const root = path.resolve(__dirname, '..', '..', '..');
const script = path.join(root, 'scripts', 'diff-days.sh');

function diffDays(...args: string[]) {
  const run = spawnSync('bash', [script, ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('scripts/diff-days.sh', () => {
  it('lists the ServiceMonitor and the database PodMonitor that day 4 adds to day 3', () => {
    const result = diffDays('--summary', '3', '4');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('added:     ServiceMonitor/api.yaml');
    expect(result.stdout).toContain('added:     PodMonitor/db.yaml');
  });

  it("pairs day 2's kustomize Deployment api with day 3's Helm taskboard-api and shows the name change", () => {
    const result = diffDays('2', '3');

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--- day2-from/Deployment/api.yaml');
    expect(result.stdout).toContain('+  name: taskboard-api');
  });

  it('drops kustomize content hashes, so the generated ConfigMap name is compared without its suffix', () => {
    const result = diffDays('--summary', '2', '3');

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('removed:   ConfigMap/api-config.yaml');
  });

  it('answers day 7 (Key Vault overlay) with SecretProviderClasses added and the in-cluster database removed', () => {
    const result = diffDays('--summary', '3', '7');

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('added:     SecretProviderClass/keyvault.yaml');
    expect(result.stdout).toContain('removed:   Cluster/db.yaml');
  });

  it('rejects a day without Kubernetes manifests with exit 2 and names the days that have them', () => {
    const result = diffDays('2', '5');

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('day 5 deploys no Kubernetes objects');
    expect(result.stderr).toContain('choose from 2, 3, 4, 7');
  });

  it('prints its usage and exits 2 when a day is missing', () => {
    const result = diffDays('2');

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: bash scripts/diff-days.sh');
  });
});
