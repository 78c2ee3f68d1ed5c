// Proves every day 5 check guards something: each broken variant of the day 5 Terraform, made in a temp copy of
// the repository, must make the named check fail with a message that points at the file (and line) and the fix.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertCheck,
  CheckFailedError,
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  type Check,
} from '../src';
import {
  DAY,
  acrAdminDisabledCheck,
  backendCheck,
  bootstrapLocalStateCheck,
  keyVaultDiagnosticsCheck,
  tagsCheck,
  testsPlanOnlyCheck,
  fixturePaths,
  fmtCheck,
  keyVaultPurgeProtectionCheck,
  moduleInputsExistCheck,
  moduleOutputReferencesCheck,
  moduleRequiredInputsCheck,
  noHardcodedSecretsCheck,
  parseCheck,
  providersPinnedCheck,
  staticChecks,
  storagePublicBlobCheck,
  storageTlsCheck,
  variableDocsCheck,
  variableValidationCheck,
} from '../../../day5-terraform/verify/checks';
import { offlineModuleCheck } from '../../../day5-terraform/verify/offline';

const ENV_MAIN = `${DAY}/envs/dev/main.tf`;
const ENV_VERSIONS = `${DAY}/envs/dev/versions.tf`;
const KV_MAIN = `${DAY}/modules/key-vault/main.tf`;
const ACR_MAIN = `${DAY}/modules/container-registry/main.tf`;
const ACR_VERSIONS = `${DAY}/modules/container-registry/versions.tf`;
const LA_VARIABLES = `${DAY}/modules/log-analytics/variables.tf`;
const BOOTSTRAP_MAIN = `${DAY}/bootstrap/main.tf`;
const NAMING_TEST = `${DAY}/modules/naming/tests/naming.tftest.hcl`;

interface Scenario {
  name: string;
  file: string;
  edit: (s: string) => string;
  check: Check;
  /** Every one of these must appear in the failure message. */
  expect: RegExp[];
}

const scenarios: Scenario[] = [
  {
    name: 'a variable without a description',
    file: LA_VARIABLES,
    edit: (s) =>
      replaceOrThrow(
        s,
        /(variable "retention_in_days" \{\n\s+type\s+= number\n)\s+description\s+= ".*"\n/,
        '$1',
      ),
    check: variableDocsCheck,
    expect: [
      /where: {4}day5-terraform\/modules\/log-analytics\/variables\.tf:\d+ \(variable "retention_in_days"\)/,
      /no description/,
    ],
  },
  {
    name: 'a variable with a rule but no validation',
    file: LA_VARIABLES,
    edit: (s) =>
      replaceOrThrow(
        s,
        /(variable "retention_in_days" \{[\s\S]*?default\s+= 30\n)\s+validation \{[\s\S]*?\n {2}\}\n/,
        '$1',
      ),
    check: variableValidationCheck,
    expect: [/variable "retention_in_days"/, /a range of days Azure accepts/],
  },
  {
    name: 'a module call with a misspelled input',
    file: ENV_MAIN,
    edit: (s) => replaceOrThrow(s, '  allowed_ip_ranges          =', '  allowed_ip_range           ='),
    check: moduleInputsExistCheck,
    expect: [
      /where: {4}day5-terraform\/envs\/dev\/main\.tf:\d+ \(module "key_vault" argument "allowed_ip_range"\)/,
      /allowed_ip_ranges/,
    ],
  },
  {
    name: 'a required module input that is never passed',
    file: ENV_MAIN,
    edit: (s) => replaceOrThrow(s, /\n {2}log_analytics_workspace_id = module\.log_analytics\.id/, ''),
    check: moduleRequiredInputsCheck,
    expect: [/envs\/dev\/main\.tf:\d+ \(module "key_vault"\)/, /log_analytics_workspace_id is never passed/],
  },
  {
    name: 'a reference to a module output that does not exist',
    file: `${DAY}/envs/dev/outputs.tf`,
    edit: (s) => replaceOrThrow(s, 'module.key_vault.vault_uri', 'module.key_vault.uri'),
    check: moduleOutputReferencesCheck,
    expect: [/envs\/dev\/outputs\.tf:\d+ \(module\.key_vault\.uri\)/, /has no output "uri"/],
  },
  {
    name: 'admin_enabled = true',
    file: ACR_MAIN,
    edit: (s) => replaceOrThrow(s, 'admin_enabled          = false', 'admin_enabled          = true'),
    check: acrAdminDisabledCheck,
    expect: [
      /CKV_AZURE_137/,
      /where: {4}day5-terraform\/modules\/container-registry\/main\.tf:\d+ \(azurerm_container_registry\.this\)/,
      /found: {4}admin_enabled = true/,
    ],
  },
  {
    name: 'Key Vault purge protection turned off',
    file: KV_MAIN,
    edit: (s) => replaceOrThrow(s, 'purge_protection_enabled   = true', 'purge_protection_enabled   = false'),
    check: keyVaultPurgeProtectionCheck,
    expect: [
      /CKV_AZURE_110/,
      /modules\/key-vault\/main\.tf:\d+ \(azurerm_key_vault\.this\)/,
      /purge_protection_enabled = false/,
    ],
  },
  {
    name: 'a password written as a literal',
    file: ENV_MAIN,
    edit: (s) =>
      replaceOrThrow(s, 'locals {\n', 'locals {\n  postgres_admin_password = "Sup3r-Secret-2026"\n'),
    check: noHardcodedSecretsCheck,
    expect: [
      /envs\/dev\/main\.tf:\d+ \(postgres_admin_password\)/,
      /literal "Sup…"/,
      /rotate the credential/,
    ],
  },
  {
    name: 'a subscription id written as a literal',
    file: ENV_MAIN,
    edit: (s) =>
      replaceOrThrow(
        s,
        '  features {\n',
        '  subscription_id = "3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f"\n  features {\n',
      ),
    check: noHardcodedSecretsCheck,
    expect: [/envs\/dev\/main\.tf:\d+ \(subscription_id\)/, /3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f/],
  },
  {
    name: 'the backend block removed',
    file: ENV_VERSIONS,
    edit: (s) => replaceOrThrow(s, /\n {2}backend "azurerm" \{[\s\S]*?\n {2}\}\n/, '\n'),
    check: backendCheck,
    expect: [/envs\/dev\/versions\.tf:1 \(terraform block\)/, /no backend block/],
  },
  {
    name: 'the backend without Entra ID auth',
    file: ENV_VERSIONS,
    edit: (s) => replaceOrThrow(s, 'use_azuread_auth = true', 'use_azuread_auth = false'),
    check: backendCheck,
    expect: [/envs\/dev\/versions\.tf:\d+ \(backend "azurerm"\)/, /use_azuread_auth = false/],
  },
  {
    name: 'an unpinned provider',
    file: ACR_VERSIONS,
    edit: (s) => replaceOrThrow(s, /\n\s+version = "~> 4\.42"/, ''),
    check: providersPinnedCheck,
    expect: [
      /modules\/container-registry\/versions\.tf:\d+ \(terraform\.required_providers\.azurerm\)/,
      /version = \(none\)/,
    ],
  },
  {
    name: 'a provider with no upper bound',
    file: ACR_VERSIONS,
    edit: (s) => replaceOrThrow(s, 'version = "~> 4.42"', 'version = ">= 4.0"'),
    check: providersPinnedCheck,
    expect: [/container-registry\/versions\.tf/, /version = >= 4\.0/],
  },
  {
    name: 'the Key Vault diagnostic setting removed',
    file: KV_MAIN,
    edit: (s) => replaceOrThrow(s, /\nresource "azurerm_monitor_diagnostic_setting" "this" \{[\s\S]*$/, '\n'),
    check: keyVaultDiagnosticsCheck,
    expect: [/modules\/key-vault\/main\.tf:1 \(azurerm_key_vault\.this\)/, /no diagnostic setting/],
  },
  {
    name: 'a taggable resource without tags',
    file: `${DAY}/modules/log-analytics/main.tf`,
    edit: (s) => replaceOrThrow(s, /\n\s+tags = var\.tags\n/, '\n'),
    check: tagsCheck,
    expect: [
      /modules\/log-analytics\/main\.tf:1 \(azurerm_log_analytics_workspace\.this\)/,
      /tags = var\.tags/,
    ],
  },
  {
    name: 'a remote backend in the bootstrap',
    file: `${DAY}/bootstrap/versions.tf`,
    edit: (s) => replaceOrThrow(s, '  required_version', '  backend "azurerm" {}\n  required_version'),
    check: bootstrapLocalStateCheck,
    expect: [/bootstrap\/versions\.tf:\d+ \(backend "azurerm"\)/],
  },
  {
    name: 'a test run that would apply',
    file: `${DAY}/modules/log-analytics/tests/log_analytics.tftest.hcl`,
    edit: (s) => replaceOrThrow(s, /(run "rejects_retention_below_30_days" \{\n)\s+command = plan\n/, '$1'),
    check: testsPlanOnlyCheck,
    expect: [
      /log_analytics\.tftest\.hcl:\d+ \(run "rejects_retention_below_30_days"\)/,
      /unset, which means apply/,
    ],
  },
  {
    name: 'a provider test without mock_provider',
    file: `${DAY}/modules/key-vault/tests/key_vault.tftest.hcl`,
    edit: (s) => replaceOrThrow(s, 'mock_provider "azurerm" {}\n', ''),
    check: testsPlanOnlyCheck,
    expect: [/key_vault\.tftest\.hcl \(mock_provider\)/, /real credentials/],
  },
  {
    name: 'storage TLS below 1.2',
    file: BOOTSTRAP_MAIN,
    edit: (s) => replaceOrThrow(s, '"TLS1_2"', '"TLS1_0"'),
    check: storageTlsCheck,
    expect: [/CKV_AZURE_44/, /bootstrap\/main\.tf:\d+ \(azurerm_storage_account\.this\)/, /"TLS1_0"/],
  },
  {
    name: 'public blob access allowed',
    file: BOOTSTRAP_MAIN,
    edit: (s) =>
      replaceOrThrow(s, 'allow_nested_items_to_be_public = false', 'allow_nested_items_to_be_public = true'),
    check: storagePublicBlobCheck,
    expect: [/CKV_AZURE_190/, /bootstrap\/main\.tf:\d+/],
  },
  {
    name: 'a Terraform file that will not parse',
    file: KV_MAIN,
    edit: (s) =>
      replaceOrThrow(
        s,
        'resource "azurerm_monitor_diagnostic_setting" "this" {',
        'resource "azurerm_monitor_diagnostic_setting" "this" {{',
      ),
    check: parseCheck,
    expect: [/where: {4}day5-terraform\/modules\/key-vault\/main\.tf \(line \d+\)/, /expected: valid HCL/],
  },
];

describe('day 5 checks fail on broken Terraform', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      mutateFile(root, scenario.file, scenario.edit);
      const failure = await assertCheck(scenario.check, root).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(CheckFailedError);
      for (const pattern of scenario.expect) expect((failure as Error).message).toMatch(pattern);
    } finally {
      removeTemp(root);
    }
  });

  it("real ids in the learner's git-ignored terraform.tfvars pass; the same ids in the committed .example fail", async () => {
    const root = copyToTemp(repoRoot, fixturePaths);
    const realId = 'ci_principal_id = "3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f"';
    try {
      writeFileSync(path.join(root, DAY, 'envs/dev/terraform.tfvars'), `${realId}\n`);
      await assertCheck(noHardcodedSecretsCheck, root);
      mutateFile(root, `${DAY}/envs/dev/terraform.tfvars.example`, (s) =>
        replaceOrThrow(s, /ci_principal_id\s+= ".*"/, realId),
      );
      await expect(assertCheck(noHardcodedSecretsCheck, root)).rejects.toThrow(
        /envs\/dev\/terraform\.tfvars\.example:\d+ \(ci_principal_id\)/,
      );
    } finally {
      removeTemp(root);
    }
  });

  it('a file that will not parse is reported by the model checks too, never as a crash', async () => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      mutateFile(root, KV_MAIN, (s) => `${s}\nresource "azurerm_key_vault" "broken" {\n`);
      for (const check of staticChecks.filter((c) => c !== parseCheck && c !== noHardcodedSecretsCheck)) {
        await expect(assertCheck(check, root)).rejects.toThrow(/key-vault\/main\.tf \(line \d+\)/);
      }
    } finally {
      removeTemp(root);
    }
  });

  it('the unbroken copy passes every static check (the scenarios above test their mutation, not a broken baseline)', async () => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      for (const check of staticChecks) await assertCheck(check, root);
    } finally {
      removeTemp(root);
    }
  });
});

localRuntimeTier(
  'day 5 terraform fixtures (real terraform fmt and test)',
  ['terraform'],
  repoRoot,
  (tools) => {
    it('a file that is not formatted fails terraform fmt -check, naming the file', async () => {
      const root = copyToTemp(repoRoot, fixturePaths);
      try {
        mutateFile(root, ACR_MAIN, (s) =>
          replaceOrThrow(s, '  sku                 = var.sku', '  sku = var.sku'),
        );
        await expect(assertCheck(fmtCheck, root)).rejects.toThrow(
          /where: {4}day5-terraform\/modules\/container-registry\/main\.tf \(whole file\)[\s\S]*terraform fmt modules\/container-registry\/main\.tf/,
        );
      } finally {
        removeTemp(root);
      }
    });

    it("a name that breaks Azure's Key Vault rule fails the naming module's real terraform test", async () => {
      const root = copyToTemp(repoRoot, fixturePaths);
      try {
        // The happy-path run now builds kv-taskboardapi-shared-a1b2c3 (29 characters) without expecting a failure.
        mutateFile(root, NAMING_TEST, (s) =>
          replaceOrThrow(
            s,
            'variables {\n  workload       = "taskboard"\n  environment    = "dev"\n  location_short = "weu"\n  unique_suffix  = "a1b2"\n}',
            'variables {\n  workload       = "taskboardapi"\n  environment    = "shared"\n  location_short = "weu"\n  unique_suffix  = "a1b2c3"\n}',
          ),
        );
        const check = offlineModuleCheck(() => tools.terraform, `${DAY}/modules/naming`);
        await expect(assertCheck(check, root)).rejects.toThrow(
          /terraform test[\s\S]*kv-taskboardapi-shared-a1b2c3[\s\S]*breaks Azure's rule: 3-24 characters/,
        );
      } finally {
        removeTemp(root);
      }
    });
  },
);
