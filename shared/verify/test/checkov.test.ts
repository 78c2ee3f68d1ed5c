import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CheckFailedError, repoRoot, type Check } from '../src/check';
import { SKIPS_FILE, checkSources, loadSkips, parseCheckovJson, sitePackagesOf } from '../src/checkov';
import { copyToTemp, mutateFile, removeTemp, replaceOrThrow } from '../src/fixtures';
import { localRuntimeTier } from '../src/tiers';
import { checkovChecks as day1Checks } from '../../../day1-containers/verify/checkov';
import { checkovChecks as day2Checks } from '../../../day2-k8s/verify/checkov';
import { checkovChecks as day3Checks } from '../../../day3-helm/verify/checkov';
import { checkovChecks as day5Checks } from '../../../day5-terraform/verify/checkov';
import { checkovChecks as day6Checks } from '../../../day6-cicd/verify/checkov';
import { checkovChecks as day7Checks } from '../../../day7-keyvault-aks/verify/checkov';

// Each day's checkov tier, run on a copy of the repository broken in one way the course relies on checkov to
// catch: it must fail with the expected check ID, at the file the learner edits, with the check's docs link.

describe('checkov JSON report', () => {
  it('reads the one value per -d root that checkov prints back to back', () => {
    const report = (id: string) =>
      JSON.stringify({
        check_type: 'terraform',
        results: { failed_checks: [{ check_id: id, check_name: 'a "quoted" {name}' }] },
        summary: { passed: 1, failed: 1, parsing_errors: 0, checkov_version: '3.3.30' },
      });
    const reports = parseCheckovJson(`${report('CKV_AZURE_1')}\n${report('CKV_AZURE_2')}\n`);
    expect(reports.map((r) => r.results.failed_checks?.[0]?.check_id)).toEqual([
      'CKV_AZURE_1',
      'CKV_AZURE_2',
    ]);
  });
});

const always = ['scripts/bootstrap-tools.sh', SKIPS_FILE];

interface Fixture {
  name: string;
  paths: string[];
  edits: { file: string; edit: (content: string) => string }[];
  checks: (tools: { checkov: string; kubectl: string; helm: string }) => Check[];
  /** Lines the failure message must contain. */
  contains: string[];
}

const fixtures: Fixture[] = [
  {
    name: 'dockerfile: api.Dockerfile without USER and HEALTHCHECK',
    paths: ['day1-containers'],
    edits: [
      {
        file: 'day1-containers/api.Dockerfile',
        edit: (s) =>
          replaceOrThrow(replaceOrThrow(s, /^USER .*\n/m, ''), /^HEALTHCHECK [^\n]*\\\n[^\n]*\n/m, ''),
      },
    ],
    checks: (t) => day1Checks(() => t.checkov),
    contains: [
      'where:    day1-containers/api.Dockerfile',
      'expected: CKV_DOCKER_3: Ensure that a user for the container has been created',
      'expected: CKV_DOCKER_2: Ensure that HEALTHCHECK instructions have been added to container images',
      'docs:     https://github.com/bridgecrewio/checkov/blob/3.3.30/checkov/dockerfile/checks/',
    ],
  },
  {
    name: 'kubernetes (kustomize): the api container privileged',
    paths: ['day2-k8s'],
    edits: [
      {
        file: 'day2-k8s/base/api.yaml',
        edit: (s) =>
          replaceOrThrow(
            s,
            /^( +)allowPrivilegeEscalation: false$/m,
            '$1allowPrivilegeEscalation: false\n$1privileged: true',
          ),
      },
    ],
    checks: (t) =>
      day2Checks(
        () => t.checkov,
        () => t.kubectl,
      ),
    contains: [
      'where:    day2-k8s/base/api.yaml (Deployment/api as rendered by kubectl kustomize day2-k8s/base)',
      'expected: CKV_K8S_16: Container should not be privileged',
      'docs:     https://github.com/bridgecrewio/checkov/blob/3.3.30/checkov/kubernetes/checks/resource/k8s/PrivilegedContainers.py',
    ],
  },
  {
    name: 'kubernetes (helm template): the api container allows privilege escalation',
    paths: ['day3-helm'],
    edits: [
      {
        file: 'day3-helm/charts/taskboard/values.yaml',
        edit: (s) => replaceOrThrow(s, 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'),
      },
    ],
    checks: (t) =>
      day3Checks(
        () => t.checkov,
        () => t.helm,
      ),
    contains: [
      'where:    day3-helm/charts/taskboard/templates/',
      'as rendered by helm template -f day3-helm/charts/taskboard/ci/minimal-values.yaml',
      'expected: CKV_K8S_20: Containers should not run with allowPrivilegeEscalation',
    ],
  },
  {
    // checkov 3.3.30's CKV_AZURE_3 reads only azurerm 3's enable_https_traffic_only, so a storage account allowing
    // plain HTTP through azurerm 4's https_traffic_only_enabled = false passes it; the course's own Terraform
    // policy keeps that rule. TLS 1.0 is the transport weakness checkov does catch on this account.
    name: 'terraform: the state storage account accepts TLS 1.0',
    paths: ['day5-terraform'],
    edits: [
      {
        file: 'day5-terraform/bootstrap/main.tf',
        edit: (s) =>
          replaceOrThrow(
            s,
            'min_tls_version                 = "TLS1_2"',
            'min_tls_version                 = "TLS1_0"',
          ),
      },
    ],
    checks: (t) => day5Checks(() => t.checkov),
    contains: [
      'where:    day5-terraform/bootstrap/main.tf (azurerm_storage_account.this, lines 34-61)',
      'expected: CKV_AZURE_44: Ensure Storage Account is using the latest version of TLS encryption',
      'found:    checkov CKV_AZURE_44 FAILED on azurerm_storage_account.this (evaluated: min_tls_version)',
    ],
  },
  {
    name: 'terraform (day 7): the AKS cluster keeps local admin accounts',
    paths: ['day7-keyvault-aks/terraform', 'day5-terraform/modules'],
    edits: [
      {
        file: 'day7-keyvault-aks/terraform/main.aks.tf',
        edit: (s) =>
          replaceOrThrow(
            s,
            'local_account_disabled            = true',
            'local_account_disabled            = false',
          ),
      },
    ],
    checks: (t) => day7Checks(() => t.checkov),
    contains: [
      'where:    day7-keyvault-aks/terraform/main.aks.tf (azurerm_kubernetes_cluster.this',
      'CKV_AZURE_141',
    ],
  },
  {
    name: 'github_actions: a workflow with write-all permissions',
    paths: ['.github/workflows'],
    edits: [
      {
        file: '.github/workflows/ci.yml',
        edit: (s) => replaceOrThrow(s, /^permissions: \{\}$/m, 'permissions: write-all'),
      },
    ],
    checks: (t) => day6Checks(() => t.checkov),
    contains: [
      'where:    .github/workflows/ci.yml (on(ci), lines',
      'expected: CKV2_GHA_1: Ensure top-level permissions are not set to write-all',
      'docs:     https://github.com/bridgecrewio/checkov/blob/3.3.30/checkov/github_actions/checks/graph_checks/',
    ],
  },
];

localRuntimeTier('checkov fixtures', ['checkov', 'kubectl', 'helm'], repoRoot, (tools) => {
  it('every skip in skips.yaml names a check of the installed checkov, under its own name', () => {
    const sitePackages = sitePackagesOf(tools.checkov);
    if (!sitePackages) throw new Error(`no site-packages found from ${tools.checkov}'s interpreter`);
    const sources = checkSources(tools.checkov);
    expect(sources.size).toBeGreaterThan(500);
    // The map is the package's own: CKV_AZURE_242 is a Synapse Spark pool check, whatever its number suggests.
    expect(sources.get('CKV_AZURE_242')).toBe(
      'checkov/terraform/checks/resource/azure/AzureSparkPoolIsolatedComputeEnabled.py',
    );
    const wrong: string[] = [];
    for (const skip of loadSkips(repoRoot)) {
      const source = sources.get(skip.id);
      if (!source) {
        wrong.push(`${skip.id}: no such check in checkov`);
        continue;
      }
      const text = readFileSync(path.join(sitePackages, source), 'utf8');
      const compact = (s: string) => s.replace(/\s+/g, ' ').trim();
      // Python sources may split a long name over literals (`"a " \` then `"b"`, or `name += "b"`): join them.
      const joined = text.replace(/"\s*\\?\s*\n\s*(?:name \+= )?"/g, '');
      if (!compact(joined).includes(compact(skip.name)))
        wrong.push(`${skip.id}: named "${skip.name}" in ${SKIPS_FILE}, not in ${source}`);
    }
    expect(wrong).toEqual([]);
  });

  for (const fixture of fixtures) {
    it(`fails on ${fixture.name}`, async () => {
      const root = copyToTemp(repoRoot, [...always, ...fixture.paths]);
      try {
        for (const { file, edit } of fixture.edits) mutateFile(root, file, edit);
        const [check] = fixture.checks(tools);
        const violations = await check!.run(root);
        const message = new CheckFailedError(check!.title, violations).message;
        for (const line of fixture.contains) expect(message).toContain(line);
      } finally {
        removeTemp(root);
      }
    });
  }
});
