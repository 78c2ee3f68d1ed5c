import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  assertCheck,
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
} from '@taskboard/verify';
import { fixturePaths, shellcheckCheck } from './checks';

localRuntimeTier('day 6 local runtime: shellcheck', ['shellcheck'], repoRoot, (tools) => {
  it('shellcheck finds nothing in the run: blocks and day6-cicd/scripts', () =>
    assertCheck(shellcheckCheck(tools.shellcheck), repoRoot));

  it('an unquoted variable in a run: block fails the shellcheck check, naming job, step and SC code', async () => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      mutateFile(root, '.github/workflows/kind.yml', (s) =>
        replaceOrThrow(
          s,
          'run: kind delete cluster --name taskboard || true',
          'run: rm -rf $RUNNER_TEMP/kind',
        ),
      );
      await expect(assertCheck(shellcheckCheck(tools.shellcheck), root)).rejects.toThrow(
        /kind\.yml \(job "cluster-tier", step "Delete the cluster", script line 1\)[\s\S]*SC2086/,
      );
    } finally {
      removeTemp(root);
    }
  });
});

/*
 * deploy.sh run for real, with bash and node, against a recording `helm` first on PATH: the one program that
 * would need a cluster. It records each call (and the content of every values file it is given) and answers like
 * an empty release history. This proves what deploy.sh hands to helm, which the static checks can only read.
 */
describe('day 6 local runtime: deploy.sh against a recording helm', () => {
  const terraformValues = readFileSync(
    path.join(repoRoot, 'day7-keyvault-aks/ci/helm-values.example.json'),
    'utf8',
  );
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'deploy-sh-'));
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(
      path.join(dir, 'bin/helm'),
      [
        '#!/usr/bin/env bash',
        'echo "helm $*" >>"$HELM_LOG"',
        'prev=""',
        'for a in "$@"; do if [[ $prev == -f ]]; then echo "values $a: $(tr -d "\\n " <"$a")" >>"$HELM_LOG"; fi; prev=$a; done',
        'if [[ $1 == history ]]; then echo "[{\\"revision\\":1,\\"status\\":\\"deployed\\"}]"; fi',
        'exit 0',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (registry: string) => {
    const result = spawnSync('bash', ['day6-cicd/scripts/deploy.sh'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${path.join(dir, 'bin')}:${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        HELM_LOG: path.join(dir, 'helm.log'),
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
        ENVIRONMENT: 'dev',
        TAG: '0c4b5e2f6c0a7c3e9d1b8a4f2e6d0c9b8a7f6e5d',
        REGISTRY: registry,
        HELM_VALUES: terraformValues,
        APP_URL: '',
      },
    });
    const log = existsSync(path.join(dir, 'helm.log'))
      ? readFileSync(path.join(dir, 'helm.log'), 'utf8')
      : '';
    return { status: result.status, stderr: result.stderr, log };
  };

  it('passes helm -f values-aks.yaml, then a file holding exactly $HELM_VALUES, and only the image tag', () => {
    const { status, log } = run('crtbaksdeva1b2.azurecr.io');
    const upgrade = log.split('\n').find((l) => l.startsWith('helm upgrade')) ?? '(no helm upgrade call)';
    const [, overlay, values] = /-f (\S+) -f (\S+)/.exec(upgrade) ?? [];
    expect({
      status,
      overlay,
      values: log.includes(`values ${values}: ${terraformValues.replace(/\s/g, '')}`),
      sets: upgrade.match(/--set \S+/g),
    }).toEqual({
      status: 0,
      overlay: 'day7-keyvault-aks/values-aks.yaml',
      values: true,
      sets: [
        '--set api.image.tag=0c4b5e2f6c0a7c3e9d1b8a4f2e6d0c9b8a7f6e5d',
        '--set web.image.tag=0c4b5e2f6c0a7c3e9d1b8a4f2e6d0c9b8a7f6e5d',
      ],
    });
  });

  it("stops before helm upgrade when REGISTRY is not the registry of the Terraform values (day 5's)", () => {
    const { status, stderr, log } = run('crtaskboarddevweua1b2.azurecr.io');
    expect({
      status,
      upgraded: log.includes('helm upgrade'),
      said: /the AKS kubelet pulls from crtbaksdeva1b2\.azurecr\.io/.test(stderr),
    }).toEqual({
      status: 1,
      upgraded: false,
      said: true,
    });
  });
});
