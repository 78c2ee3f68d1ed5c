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
  repoRoot,
} from '@taskboard/verify';
import {
  actionlintCheck,
  fixturePaths,
  shellcheckCheck,
  toolVersion,
  ZIZMOR_CONFIG,
  zizmorCheck,
} from './checks';

// The workflow linters, as programs: the titles carry the versions that ran (during a skip, no path is known).
const named = (tool: string, file: string | undefined, args: string[]) =>
  file ? `${tool} ${toolVersion(file, args)}` : tool;

localRuntimeTier('day 6 workflow linters', ['actionlint', 'zizmor', 'shellcheck'], repoRoot, (tools) => {
  const actionlint = named('actionlint', tools.actionlint, ['-version']);
  const zizmor = named('zizmor', tools.zizmor, ['--version']);
  it(`${actionlint} finds no problem in any workflow (shellcheck on every run: block)`, () =>
    assertCheck(actionlintCheck(tools.actionlint, tools.shellcheck), repoRoot));
  it(`${zizmor} finds no security problem in any workflow (offline audits, ${ZIZMOR_CONFIG})`, () =>
    assertCheck(zizmorCheck(tools.zizmor), repoRoot));
});

localRuntimeTier('day 6 local runtime: shellcheck', ['shellcheck'], repoRoot, (tools) => {
  it('shellcheck finds nothing in day6-cicd/scripts', () =>
    assertCheck(shellcheckCheck(tools.shellcheck), repoRoot));

  it('an unquoted variable in a script the workflows call fails the shellcheck check, naming line and SC code', async () => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      mutateFile(root, 'day6-cicd/scripts/terraform-init.sh', (s) => `${s}\nrm -rf $RUNNER_TEMP/plan\n`);
      await expect(assertCheck(shellcheckCheck(tools.shellcheck), root)).rejects.toThrow(
        /terraform-init\.sh \(line \d+, column \d+\)[\s\S]*SC2086/,
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
