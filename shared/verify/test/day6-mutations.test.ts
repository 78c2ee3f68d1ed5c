// Proves each day 6 check guards something: every broken variant of the acceptance list, made in a temp copy of
// the repository, must make its check fail with a message naming the file, the place and the fix. The fixtures for
// actionlint and zizmor are in shared/verify/test/day6-workflow-linters.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertCheck,
  copyToTemp,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  type Check,
} from '../src';
import {
  ciUnfilteredCheck,
  concurrencyCheck,
  jobEnvCheck,
  releaseGateCheck,
  checkoutCredentialsCheck,
  azureLoginCheck,
  dependabotScheduleCheck,
  permissionsNeededCheck,
  workflowRunCheck,
  dependabotTargetsCheck,
  dependabotTerraformCoverageCheck,
  deployGuardsCheck,
  dispatchRunsAJobCheck,
  kindDay4PromtoolCheck,
  kindDay4StackCheck,
  kindKubectlCheck,
  node24ActionsCheck,
  pathsCoverScriptsCheck,
  pinTableCheck,
  providerTierCheck,
  releaseRefCheck,
  terraformInstalledCheck,
  aptParityCheck,
  deployRegistryCheck,
  deployValuesCheck,
  fixturePaths,
  idTokenCheck,
  imageNamesCheck,
  npmScriptsCheck,
  oidcSubjectsCheck,
  staticChecks,
  timeoutCheck,
  verifyMatrixCheck,
} from '../../../day6-cicd/verify/checks';

const CI = '.github/workflows/ci.yml';
const DEPLOY_SH = 'day6-cicd/scripts/deploy.sh';
const DEPLOY_VALUES = '-f "$AKS_VALUES" -f "$terraform_values"';
const KIND = '.github/workflows/kind.yml';
const TERRAFORM = '.github/workflows/terraform.yml';
const DEPENDABOT = '.github/dependabot.yml';
// Pins are matched by their shape (`action@<40 hex> # vX.Y.Z`) or read from the copy, never copied here: a
// Dependabot bump of an action or of Terraform must leave these fixtures valid (issue 19).
/** The literal text of `text` as a RegExp source. */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const pinOf = (action: string) => new RegExp(`${escaped(action)}@[0-9a-f]{40} # v[\\w.-]+`);
const CHECKOUT_PIN = pinOf('actions/checkout');
const UPLOAD_ARTIFACT_PIN = pinOf('actions/upload-artifact');
/** The `actions/checkout@<sha> # <version>` pin ci.yml uses in the copy. */
function currentCheckoutPin(): string {
  const pin = CHECKOUT_PIN.exec(readFileSync(path.join(root, CI), 'utf8'))?.[0];
  if (!pin) throw new Error(`no pinned actions/checkout in ${CI}`);
  return pin;
}

let root: string;
beforeEach(() => {
  root = copyToTemp(repoRoot, fixturePaths);
});
afterEach(() => removeTemp(root));

const failsWith = (check: Check, ...patterns: RegExp[]) =>
  assertCheck(check, root).then(
    () => {
      throw new Error(`"${check.title}" passed on the broken copy`);
    },
    (error: Error) => {
      for (const p of patterns) expect(error.message).toMatch(p);
    },
  );

it('the unbroken copy passes every check (so each failure below is caused by its mutation)', async () => {
  for (const check of staticChecks) await assertCheck(check, root);
});

it('id-token: write on a job without an Azure login fails the id-token check', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(s, /( {2}lint:\n[\s\S]*?permissions:\n {6}contents: read\n)/, '$1      id-token: write\n'),
  );
  await failsWith(
    idTokenCheck,
    /ci\.yml \(job "lint"\)/,
    /found: {4}id-token: write on a job that never logs in to Azure/,
    /remove id-token: write from job "lint"/,
  );
});

it('a verify matrix with day 5 missing fails the matrix check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, 'day: [1, 2, 3, 4, 5, 6, 7]', 'day: [1, 2, 3, 4, 6, 7]'));
  await failsWith(
    verifyMatrixCheck,
    /expected: day 5 in the matrix \(day5-terraform\/ exists\)/,
    /day 5 is missing, so npm run verify:day5 never runs in CI/,
    /fix: {6}add 5 to jobs\.verify\.strategy\.matrix\.day/,
  );
});

it('a typo in an npm script name fails the npm scripts check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, 'run: npm run typecheck', 'run: npm run typecheckk'));
  await failsWith(npmScriptsCheck, /ci\.yml \(job "lint"\)/, /found: {4}npm run typecheckk: no such script/);
});

it('a job without timeout-minutes fails the timeout check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, /( {2}lint:\n[\s\S]*?) {4}timeout-minutes: 15\n/, '$1'));
  await failsWith(timeoutCheck, /ci\.yml \(job "lint"\)/, /fix: {6}add timeout-minutes to job "lint"/);
});

it('a concurrency block without its group fails the concurrency check', async () => {
  mutateFile(root, KIND, (s) => replaceOrThrow(s, /^ {2}group: kind-\$\{\{ github\.ref \}\}\n/m, ''));
  await failsWith(concurrencyCheck, /kind\.yml \(concurrency\)/, /found: {4}concurrency without a group/);
});

it('a deploy workflow that cancels the deploy in progress fails the deploy guards check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(
      s,
      /(group: deploy-\$\{\{ github\.repository \}\}\n {2}cancel-in-progress:) false/,
      '$1 true',
    ),
  );
  await failsWith(
    deployGuardsCheck,
    /deploy\.yml \(concurrency\)/,
    /found: {4}cancel-in-progress: true on a workflow that deploys/,
    /fix: {6}set cancel-in-progress: false/,
  );
});

it('a job that checks out without contents: read fails the permissions-needed check', async () => {
  mutateFile(root, '.github/workflows/pins.yml', (s) =>
    replaceOrThrow(s, /^ {4}permissions:\n {6}contents: read\n/m, ''),
  );
  await failsWith(
    permissionsNeededCheck,
    /pins\.yml \(job "check"\)/,
    /found: {4}a job that checks out the repository with no contents permission/,
    /fix: {6}add contents: read to the permissions of job "check"/,
  );
});

it('an Azure login without id-token: write fails the permissions-needed check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) => replaceOrThrow(s, /^ {6}id-token: write\n/m, ''));
  await failsWith(permissionsNeededCheck, /deploy\.yml \(job "dev"\)/, /without id-token: write/);
});

it('a renamed workflow that another one triggers on fails the workflow_run check', async () => {
  mutateFile(root, '.github/workflows/release.yml', (s) =>
    replaceOrThrow(s, /^name: release$/m, 'name: publish'),
  );
  await failsWith(
    workflowRunCheck,
    /deploy\.yml \(on\.workflow_run\.workflows\)/,
    /found: {4}release, which no workflow is named/,
  );
});

it('a checkout that keeps the job token in .git/config fails the checkout credentials check', async () => {
  mutateFile(root, '.github/workflows/pins.yml', (s) =>
    replaceOrThrow(s, /persist-credentials: false/, 'persist-credentials: true'),
  );
  await failsWith(checkoutCredentialsCheck, /pins\.yml \(job "check", step 1 \(actions\/checkout\)\)/);
});

it('an azure/login with a stored secret instead of the OIDC variable fails the Azure login check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, 'client-id: ${{ vars.AZURE_CLIENT_ID }}', 'client-id: ${{ secrets.AZURE_CLIENT_ID }}'),
  );
  await failsWith(
    azureLoginCheck,
    /deploy\.yml \(job "dev", step \d+ \(azure\/login\)\)/,
    /found: {4}client-id: \$\{\{ secrets\.AZURE_CLIENT_ID \}\}/,
  );
});

it('a Dependabot entry without a schedule fails the Dependabot schedule check', async () => {
  mutateFile(root, DEPENDABOT, (s) => replaceOrThrow(s, /^ {4}schedule:\n {6}interval: \w+\n/m, ''));
  await failsWith(
    dependabotScheduleCheck,
    /dependabot\.yml \(updates\[0\]/,
    /found: {4}no schedule\.interval/,
  );
});

it('a vulnerability gate that cannot fail fails the release gate check', async () => {
  mutateFile(root, '.github/workflows/release.yml', (s) =>
    replaceOrThrow(s, "exit-code: '1'", "exit-code: '0'"),
  );
  await failsWith(
    releaseGateCheck,
    /release\.yml \(job "image", step \d+ \(aquasecurity\/trivy-action\)\)/,
    /found: {4}exit-code: 0/,
    /fix: {6}set exit-code: '1'/,
  );
});

it('a job env: without a variable its steps read fails the job env check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, /( {2}prod:\n[\s\S]*?) {6}AKS_NAME: \$\{\{ vars\.AKS_NAME \}\}\n/, '$1'),
  );
  await failsWith(
    jobEnvCheck,
    /deploy\.yml \(job "prod", step \d+ \(AKS credentials/,
    /found: {4}the step reads \$AKS_NAME, and nothing sets it/,
    /fix: {6}add AKS_NAME: \$\{\{ vars\.AKS_NAME \}\}/,
  );
});

it('a job env: without a variable deploy.sh requires fails the job env check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, /( {2}prod:\n[\s\S]*?) {6}REGISTRY: \$\{\{ vars\.ACR_LOGIN_SERVER \}\}\n/, '$1'),
  );
  await failsWith(jobEnvCheck, /the step runs day6-cicd\/scripts\/deploy\.sh, which requires \$REGISTRY/);
});

it('a release image the chart does not deploy fails the image names check', async () => {
  mutateFile(root, '.github/workflows/release.yml', (s) =>
    replaceOrThrow(s, '- image: taskboard-web', '- image: taskboard-frontend'),
  );
  await failsWith(imageNamesCheck, /expected: taskboard-web \(day3-helm\/charts\/taskboard\/values\.yaml\)/);
});

it('an environment whose OIDC subject the README does not document fails the subjects check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, 'name: prod', 'name: production'),
  );
  await failsWith(oidcSubjectsCheck, /repo:<owner>\/<repo>:environment:production/, /AADSTS700213/);
});

it('a Debian package .ci/run installs but the test job does not fails the apt parity check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, 'git postgresql nginx chromium', 'git postgresql nginx'));
  await failsWith(aptParityCheck, /ci\.yml \(job "test"\)/, /found: {4}missing: chromium/);
});

it('a second, different commit for an action already in the pin table fails the table check', async () => {
  const tablePin = currentCheckoutPin();
  // Another real actions/checkout commit (v6.0.1, or v7.0.1 if the table pins v6.0.1).
  const otherPin = tablePin.includes('8e8c483db84b4bee98b60c0593521ed34d9990e8')
    ? 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1'
    : 'actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1';
  mutateFile(root, '.github/workflows/kind.yml', (s) => replaceOrThrow(s, CHECKOUT_PIN, otherPin));
  await failsWith(
    pinTableCheck,
    /kind\.yml \(line \d+\)/,
    new RegExp(`expected: ${escaped(tablePin)} \\(the table's pin\\)`),
  );
});

it("deploy.sh with day 3's environment file instead of day 7's values fails the values check", async () => {
  mutateFile(root, DEPLOY_SH, (s) =>
    replaceOrThrow(s, DEPLOY_VALUES, '-f "day3-helm/environments/$ENVIRONMENT.yaml"'),
  );
  await failsWith(
    deployValuesCheck,
    /where: {4}day6-cicd\/scripts\/deploy\.sh/,
    /found: {4}-f day3-helm\/environments\/\$ENVIRONMENT\.yaml: .*CNPG Cluster.*Key Vault mode off/,
    /expected: -f day7-keyvault-aks\/values-aks\.yaml -f <the file deploy\.sh writes \$HELM_VALUES to>/,
  );
});

it('deploy.sh without the Terraform values (Key Vault ids, database host) fails the values check', async () => {
  mutateFile(root, DEPLOY_SH, (s) => replaceOrThrow(s, DEPLOY_VALUES, '-f "$AKS_VALUES"'));
  await failsWith(deployValuesCheck, /found: {4}-f day7-keyvault-aks\/values-aks\.yaml$/m);
});

it('deploy.sh with the Terraform values before the overlay fails the values check', async () => {
  mutateFile(root, DEPLOY_SH, (s) =>
    replaceOrThrow(s, DEPLOY_VALUES, '-f "$terraform_values" -f "$AKS_VALUES"'),
  );
  await failsWith(deployValuesCheck, /in that order: the Terraform values win/);
});

it("deploy.sh overriding the image repository with $REGISTRY (day 5's registry) fails the registry check", async () => {
  mutateFile(root, DEPLOY_SH, (s) =>
    replaceOrThrow(
      s,
      '--set "api.image.tag=$TAG"',
      '--set "api.image.repository=$REGISTRY/taskboard-api" --set "api.image.tag=$TAG"',
    ),
  );
  await failsWith(
    deployRegistryCheck,
    /found: {4}--set api\.image\.repository=\$REGISTRY\/taskboard-api: .*day 5's registry/,
    /ImagePullBackOff/,
  );
});
it('a paths: filter on ci.yml (a workflow or doc change gets no lint) fails the unfiltered check', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(
      s,
      '  pull_request:\n',
      "  pull_request:\n    paths: ['shared/**', '.github/workflows/ci.yml']\n",
    ),
  );
  await failsWith(
    ciUnfilteredCheck,
    /ci\.yml \(on\.pull_request\.paths\)/,
    /fix: {6}remove on\.pull_request\.paths/,
  );
});

it("terraform.yml's apply limited to push again (Run workflow does nothing) fails the dispatch check", async () => {
  mutateFile(root, TERRAFORM, (s) =>
    replaceOrThrow(
      s,
      /if: github\.ref == 'refs\/heads\/main' && \(github\.event_name == 'push' \|\| github\.event_name == 'workflow_dispatch'\)/,
      "if: github.event_name == 'push' && github.ref == 'refs/heads/main'",
    ),
  );
  await failsWith(
    dispatchRunsAJobCheck,
    /terraform\.yml \(on\.workflow_dispatch\)/,
    /every job \(plan, apply\) is limited to other events/,
  );
});

it('release.yml without its ref condition (a manual run pushes any branch) fails the release ref check', async () => {
  mutateFile(root, '.github/workflows/release.yml', (s) =>
    replaceOrThrow(s, /^ {4}if: github\.ref == 'refs\/heads\/main'.*\n/m, ''),
  );
  await failsWith(
    releaseRefCheck,
    /release\.yml \(job "image"\)/,
    /found: {4}no if: a manual run from any branch/,
  );
});

it('the ci.yml test job without setup-terraform fails the Terraform check', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(s, /( {6}# Days 5 and 7 run terraform[\s\S]*?terraform_wrapper: false\n)/, ''),
  );
  await failsWith(
    terraformInstalledCheck,
    /ci\.yml \(job "test"\)/,
    /found: {4}no setup-terraform step/,
    /fix: {6}add hashicorp\/setup-terraform/,
  );
});

it('Terraform 1.11.4 in terraform.yml (older than 1.14) fails the Terraform check', async () => {
  mutateFile(root, TERRAFORM, (s) =>
    replaceOrThrow(s, /terraform_version: [\d.]+/, 'terraform_version: 1.11.4'),
  );
  await failsWith(
    terraformInstalledCheck,
    /terraform\.yml \(job "plan"\)/,
    /found: {4}terraform_version: 1\.11\.4/,
  );
});

it('verify-day.yml without setup-go fails the provider tier check (the bootstrap cannot build the stand-in)', async () => {
  mutateFile(root, '.github/workflows/verify-day.yml', (s) =>
    replaceOrThrow(s, /^ {6}- uses: actions\/setup-go@.*\n(?: {8}.*\n)+/m, ''),
  );
  await failsWith(providerTierCheck, /verify-day\.yml \(job "verify"\)/, /no actions\/setup-go step/);
});

it('ci.yml with the bootstrap before setup-go fails the provider tier check', async () => {
  mutateFile(root, '.github/workflows/ci.yml', (s) => {
    const setupGo = /^ {6}- uses: actions\/setup-go@.*\n(?: {8}.*\n)+/m.exec(s)?.[0];
    if (!setupGo) throw new Error('mutation pattern: no setup-go step in ci.yml');
    const withoutGo = s.replace(setupGo, '');
    return replaceOrThrow(withoutGo, /^( {6}- run: mkdir -p artifacts\n)/m, `$1${setupGo}`);
  });
  await failsWith(providerTierCheck, /ci\.yml \(job "test"\)/, /comes after the bootstrap/);
});

it("kind.yml without kubectl_version (kind-action's default kubectl) fails the kubectl check", async () => {
  mutateFile(root, KIND, (s) => replaceOrThrow(s, /^ {10}kubectl_version: .*\n/m, ''));
  await failsWith(kindKubectlCheck, /found: {4}no kubectl_version: kind-action's default kubectl/);
});

it("kind.yml with kubectl v1.31.4 against the node's minor fails the kubectl check", async () => {
  mutateFile(root, KIND, (s) => replaceOrThrow(s, /kubectl_version: .*/, 'kubectl_version: v1.31.4'));
  await failsWith(
    kindKubectlCheck,
    /kind\.yml \(helm\/kind-action with\.kubectl_version\)/,
    /found: {4}kubectl_version: v1\.31\.4/,
  );
});

it('kind.yml running verify:day4 without installing the stack fails the day 4 stack check', async () => {
  mutateFile(root, KIND, (s) =>
    replaceOrThrow(s, /^ {10}bash day4-observability\/stack\/install\.sh\n/m, ''),
  );
  await failsWith(
    kindDay4StackCheck,
    /kind\.yml \(step \d+ \(npm run verify:day4\)\)/,
    /bash day4-observability\/stack\/install\.sh/,
  );
});

it('kind.yml running verify:day4 without promtool on the runner fails the promtool check', async () => {
  mutateFile(root, KIND, (s) =>
    replaceOrThrow(s, '--no-install-recommends prometheus >', '--no-install-recommends >'),
  );
  await failsWith(kindDay4PromtoolCheck, /found: {4}the runner has no promtool/);
});

it('a helm entry on a Chart.yaml without dependencies fails the Dependabot targets check', async () => {
  mutateFile(root, DEPENDABOT, (s) =>
    replaceOrThrow(
      s,
      'updates:\n',
      'updates:\n  - package-ecosystem: helm\n    directory: /day3-helm/charts/taskboard\n    schedule:\n      interval: weekly\n',
    ),
  );
  await failsWith(
    dependabotTargetsCheck,
    /dependabot\.yml \(helm \/day3-helm\/charts\/taskboard\)/,
    /expected: day3-helm\/charts\/taskboard\/ to hold a Chart\.yaml with dependencies/,
  );
});

it("day 7's Terraform missing from the terraform entry fails the Dependabot coverage check", async () => {
  mutateFile(root, DEPENDABOT, (s) => replaceOrThrow(s, /^ {6}- \/day7-keyvault-aks\/terraform\n/m, ''));
  await failsWith(
    dependabotTerraformCoverageCheck,
    /expected: \/day7-keyvault-aks\/terraform in the terraform entry/,
  );
});

it("deploy.yml's prod job without an environment fails the deploy guard check (kind.yml's own cluster is exempt, deploy.yml is not)", async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, /( {2}prod:\n[\s\S]*?) {4}environment:\n {6}name: prod\n {6}url: .*\n/, '$1'),
  );
  await failsWith(
    deployGuardsCheck,
    /deploy\.yml \(job "prod"\)/,
    /found: {4}a deploying job without an environment/,
  );
});

// Issue 19: this was blamed on the README, with the advice to remove the prod OIDC subject.
it("deploy.yml's prod job without an environment fails the OIDC subjects check on deploy.yml, not the README", async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, /( {2}prod:\n[\s\S]*?) {4}environment:\n {6}name: prod\n {6}url: .*\n/, '$1'),
  );
  const failure = await assertCheck(oidcSubjectsCheck, root).then(
    () => '',
    (error: Error) => error.message,
  );
  expect(failure).toMatch(/where: {4}\.github\/workflows\/deploy\.yml \(job "prod"\)/);
  expect(failure).toMatch(/fix: {6}restore environment: prod on job "prod"/);
  expect(failure).not.toMatch(/where: .*README\.md/);
  expect(failure).not.toContain('remove the subject');
});

it('terraform.yml paths without the init script it runs fails the paths-cover-scripts check', async () => {
  mutateFile(root, TERRAFORM, (s) => s.replaceAll("      - 'day6-cicd/scripts/terraform-init.sh'\n", ''));
  await failsWith(
    pathsCoverScriptsCheck,
    /terraform\.yml \(on\.pull_request\.paths\)/,
    /expected: a pattern matching day6-cicd\/scripts\/terraform-init\.sh/,
  );
});

it('upload-artifact back at v4.6.2 (node20) in the table and every uses: fails the Node 24 check', async () => {
  for (const file of [CI, KIND, '.github/workflows/verify-day.yml', '.github/workflows/README.md'])
    mutateFile(root, file, (s) =>
      s
        .replaceAll(
          new RegExp(UPLOAD_ARTIFACT_PIN.source, 'g'),
          'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2',
        )
        .replace(
          /\| `actions\/upload-artifact` \| v[\w.-]+ \| `[0-9a-f]{40}` \|/,
          '| `actions/upload-artifact` | v4.6.2 | `ea165f8d65b6e75b540449e92b4886f43607fa02` |',
        ),
    );
  await assertCheck(pinTableCheck, root);
  await failsWith(
    node24ActionsCheck,
    /README\.md \(Pinned actions, actions\/upload-artifact\)/,
    /expected: actions\/upload-artifact v6\.0\.0 or later/,
    /found: {4}v4\.6\.2, which runs on Node 20 or older/,
  );
});

it('an action the Node 24 list does not know fails the Node 24 check until its runtime is read', async () => {
  mutateFile(root, '.github/workflows/README.md', (s) =>
    replaceOrThrow(
      s,
      '| `actions/checkout` |',
      '| `actions/cache` | v5.0.5 | `27d5ce7f107fe9357f9df03efb73ab90386fccae` |\n| `actions/checkout` |',
    ),
  );
  await failsWith(node24ActionsCheck, /found: {4}v5\.0\.5: its runtime was never checked/);
});
