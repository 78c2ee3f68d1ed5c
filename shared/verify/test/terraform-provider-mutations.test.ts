// Proves the provider tier (ADR 0012) catches the Terraform mistakes that the static checks let through: each
// variant breaks a temp copy of days 5 and 7 in one realistic way, and terraform init, validate or test against
// azurerm 4.73.0's and random 3.9.1's real schemas must fail, naming the file, the line where terraform gives one,
// and terraform's own message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  type Violation,
} from '../src';
import { TERRAFORM_TREES, providerTierCheck } from '../src/terraform';

const DAY5 = 'day5-terraform';
const DAY7 = 'day7-keyvault-aks/terraform';
const AKS = `${DAY7}/main.aks.tf`;
const AKS_TEST = `${DAY7}/tests/aks.tftest.hcl`;

interface Variant {
  name: string;
  /** The root or module the tier runs on. */
  dir: string;
  /** The file broken, repository-relative. */
  file: string;
  edit: (text: string) => string;
  /** The file the violation must name, when terraform points elsewhere than the broken file. */
  reported?: string;
  /** Text on the line terraform must point at, in the reported file; undefined when terraform gives no line. */
  at?: string;
  /** Parts of terraform's message (summary and detail) the violation must carry. */
  expect: string[];
}

const variants: Variant[] = [
  // --- Day 7: the AKS root -----------------------------------------------------------------------------------
  {
    name: 'an argument azurerm_kubernetes_cluster does not have (a guessed name)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(
        t,
        '  sku_tier            = "Free"\n',
        '  sku_tier            = "Free"\n  cost_tier = "Free"\n',
      ),
    at: 'cost_tier = "Free"',
    expect: ['Unsupported argument', 'An argument named "cost_tier" is not expected here'],
  },
  {
    name: 'the required scope of the AcrPull role assignment removed',
    dir: DAY7,
    file: AKS,
    edit: (t) => replaceOrThrow(t, /\n {2}scope {28}= module\.container_registry\.id\n/, '\n'),
    at: 'resource "azurerm_role_assignment" "kubelet_acr_pull"',
    expect: ['Missing required argument', 'The argument "scope" is required'],
  },
  {
    // 4.0 upgrade guide: "The default_node_pool.enable_auto_scaling property has been renamed to
    // default_node_pool.auto_scaling_enabled."
    name: 'default_node_pool.enable_auto_scaling (renamed to auto_scaling_enabled in azurerm 4.0)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(t, 'auto_scaling_enabled         = true', 'enable_auto_scaling          = true'),
    at: 'enable_auto_scaling',
    expect: ['Unsupported argument', 'An argument named "enable_auto_scaling" is not expected here'],
  },
  {
    // 4.0 upgrade guide: "The automatic_channel_upgrade property has been renamed to automatic_upgrade_channel."
    name: 'automatic_channel_upgrade (renamed to automatic_upgrade_channel in azurerm 4.0)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(t, 'automatic_upgrade_channel = "patch"', 'automatic_channel_upgrade = "patch"'),
    at: 'automatic_channel_upgrade',
    expect: ['Unsupported argument', 'An argument named "automatic_channel_upgrade" is not expected here'],
  },
  {
    // 4.0 upgrade guide: "The deprecated api_server_authorized_ip_ranges property has been removed in favour of the
    // api_server_access_profile.authorized_ip_ranges property."
    name: 'api_server_authorized_ip_ranges (removed in azurerm 4.0)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(
        t,
        '  sku_tier            = "Free"\n',
        '  sku_tier            = "Free"\n  api_server_authorized_ip_ranges = ["203.0.113.7/32"]\n',
      ),
    at: 'api_server_authorized_ip_ranges',
    expect: [
      'Unsupported argument',
      'An argument named "api_server_authorized_ip_ranges" is not expected here',
    ],
  },
  {
    name: 'vnet_subnet_id on the cluster instead of inside default_node_pool (wrong block)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(
        replaceOrThrow(t, '    vnet_subnet_id               = azurerm_subnet.aks_nodes.id\n', ''),
        '  sku_tier            = "Free"\n',
        '  sku_tier            = "Free"\n  vnet_subnet_id      = azurerm_subnet.aks_nodes.id\n',
      ),
    at: '  vnet_subnet_id      = azurerm_subnet.aks_nodes.id',
    expect: ['Unsupported argument', 'An argument named "vnet_subnet_id" is not expected here'],
  },
  {
    name: 'a typo inside network_profile (network_plugin_mod)',
    dir: DAY7,
    file: AKS,
    edit: (t) => replaceOrThrow(t, 'network_plugin_mode = "overlay"', 'network_plugin_mod  = "overlay"'),
    at: 'network_plugin_mod ',
    expect: [
      'Unsupported argument',
      'An argument named "network_plugin_mod" is not expected here',
      'Did you mean "network_plugin_mode"?',
    ],
  },
  {
    name: 'a wrong ignore_changes path (default_node_pool[0].node_counts)',
    dir: DAY7,
    file: AKS,
    edit: (t) => replaceOrThrow(t, 'default_node_pool[0].node_count]', 'default_node_pool[0].node_counts]'),
    at: 'ignore_changes',
    expect: ['Unsupported attribute', 'attribute named "node_counts"', 'Did you mean "node_count"?'],
  },
  {
    name: 'network_profile written twice (a block allowed once)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(
        t,
        '  identity {\n',
        '  network_profile {\n    network_plugin = "kubenet"\n  }\n\n  identity {\n',
      ),
    at: '  network_profile {\n    network_plugin = "kubenet"',
    expect: ['Too many network_profile blocks', 'No more than 1 "network_profile" blocks are allowed'],
  },
  {
    name: 'identity written as an argument (identity = { ... }) instead of a block',
    dir: DAY7,
    file: AKS,
    edit: (t) => replaceOrThrow(t, /\n {2}identity \{\n/, '\n  identity = {\n'),
    at: '  identity = {',
    expect: [
      'Unsupported argument',
      'An argument named "identity" is not expected here',
      'Did you mean to define a block of type "identity"?',
    ],
  },
  {
    name: 'the required default_node_pool block removed',
    dir: DAY7,
    file: AKS,
    edit: (t) => replaceOrThrow(t, /\n {2}default_node_pool \{[^]*?\n {2}\}\n/, '\n'),
    at: 'resource "azurerm_kubernetes_cluster" "this"',
    expect: ['Insufficient default_node_pool blocks'],
  },
  {
    // Terraform leaves this rule to the provider: SDKv2's schema validation, which the stand-in repeats (readonly.go).
    name: 'a computed-only attribute set (oidc_issuer_url)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(
        t,
        '  oidc_issuer_enabled       = true\n',
        '  oidc_issuer_enabled       = true\n  oidc_issuer_url           = "https://issuer.example"\n',
      ),
    at: 'oidc_issuer_url',
    expect: ['Computed attributes cannot be set', 'a value was set for "oidc_issuer_url"'],
  },
  {
    name: 'a computed-only attribute of the vault set (vault_uri)',
    dir: `${DAY5}/modules/key-vault`,
    file: `${DAY5}/modules/key-vault/main.tf`,
    edit: (t) =>
      replaceOrThrow(
        t,
        '  name                = var.name\n',
        '  name                = var.name\n  vault_uri           = "https://kv.example"\n',
      ),
    at: 'vault_uri',
    expect: ['Computed attributes cannot be set', 'a value was set for "vault_uri"'],
  },
  {
    name: 'a computed-only attribute set inside a block (identity.principal_id)',
    dir: DAY7,
    file: AKS,
    edit: (t) =>
      replaceOrThrow(
        t,
        '    identity_ids = [azurerm_user_assigned_identity.aks.id]\n',
        '    identity_ids = [azurerm_user_assigned_identity.aks.id]\n    principal_id = azurerm_user_assigned_identity.aks.principal_id\n',
      ),
    at: '    principal_id = azurerm_user_assigned_identity.aks.principal_id',
    expect: ['Computed attributes cannot be set', 'a value was set for "identity.0.principal_id"'],
  },
  {
    name: 'a reference to an attribute the cluster does not export (oidc_issuer instead of oidc_issuer_url)',
    dir: DAY7,
    file: `${DAY7}/main.identity.tf`,
    edit: (t) =>
      replaceOrThrow(
        t,
        'azurerm_kubernetes_cluster.this.oidc_issuer_url',
        'azurerm_kubernetes_cluster.this.oidc_issuer',
      ),
    at: 'issuer                    =',
    expect: ['Unsupported attribute', 'oidc_issuer'],
  },
  {
    name: 'a list argument given a string (address_prefixes = "10.40.0.0/24")',
    dir: DAY7,
    file: `${DAY7}/main.network.tf`,
    edit: (t) =>
      replaceOrThrow(t, 'address_prefixes     = ["10.40.0.0/24"]', 'address_prefixes     = "10.40.0.0/24"'),
    at: 'address_prefixes     = "10.40.0.0/24"',
    expect: ['Incorrect attribute value type', 'address_prefixes'],
  },
  {
    name: 'a wrong path in a test assert (secret_rotation_enable)',
    dir: DAY7,
    file: AKS_TEST,
    edit: (t) =>
      replaceOrThrow(
        t,
        'key_vault_secrets_provider[0].secret_rotation_enabled\n',
        'key_vault_secrets_provider[0].secret_rotation_enable\n',
      ),
    at: 'secret_rotation_enable\n',
    expect: ['Unsupported attribute', 'secret_rotation_enable'],
  },
  {
    // OpenTofu reports a bad mock default at each resource the mock applies to, not at the mock itself.
    name: 'a wrong attribute in a mock (idd in mock_resource "azurerm_subnet")',
    dir: DAY7,
    file: AKS_TEST,
    edit: (t) => replaceOrThrow(t, /(mock_resource "azurerm_subnet" \{\n\s*defaults = \{\n\s*)id /, '$1idd'),
    reported: `${DAY7}/main.network.tf`,
    at: 'resource "azurerm_subnet" "aks_nodes"',
    expect: ['Invalid override for block field `idd`', 'The field is unknown'],
  },
  // --- Day 5: bootstrap, modules and the dev environment -----------------------------------------------------
  {
    // 4.0 upgrade guide: "The deprecated enable_https_traffic_only property has been removed in favour of the
    // https_traffic_only_enabled property."
    name: 'storage account enable_https_traffic_only (removed in azurerm 4.0)',
    dir: `${DAY5}/bootstrap`,
    file: `${DAY5}/bootstrap/main.tf`,
    edit: (t) =>
      replaceOrThrow(t, 'https_traffic_only_enabled      = true', 'enable_https_traffic_only       = true'),
    at: 'enable_https_traffic_only',
    expect: ['Unsupported argument', 'An argument named "enable_https_traffic_only" is not expected here'],
  },
  {
    name: 'an unknown argument in the provider block (storage_use_azure_ad)',
    dir: `${DAY5}/bootstrap`,
    file: `${DAY5}/bootstrap/main.tf`,
    edit: (t) => replaceOrThrow(t, 'storage_use_azuread = true', 'storage_use_azure_ad = true'),
    at: 'storage_use_azure_ad',
    expect: ['Unsupported argument', 'An argument named "storage_use_azure_ad" is not expected here'],
  },
  {
    // 4.0 upgrade guide: "The deprecated log block has been removed in favour of the enabled_log block."
    name: 'a diagnostic setting log block (removed in azurerm 4.0)',
    dir: `${DAY5}/modules/key-vault`,
    file: `${DAY5}/modules/key-vault/main.tf`,
    edit: (t) =>
      replaceOrThrow(
        t,
        '  enabled_log {\n    category_group = "audit"',
        '  log {\n    category_group = "audit"',
      ),
    at: '  log {',
    expect: ['Unsupported block type', 'Blocks of type "log" are not expected here'],
  },
  {
    name: 'network_acls.bypass moved to the vault itself (wrong block)',
    dir: `${DAY5}/modules/key-vault`,
    file: `${DAY5}/modules/key-vault/main.tf`,
    edit: (t) =>
      replaceOrThrow(
        replaceOrThrow(t, '    bypass                     = "AzureServices"\n', ''),
        '  sku_name            = var.sku_name\n',
        '  sku_name            = var.sku_name\n  bypass              = "AzureServices"\n',
      ),
    at: '  bypass              = "AzureServices"',
    expect: ['Unsupported argument', 'An argument named "bypass" is not expected here'],
  },
  {
    name: 'the required sku of the container registry removed',
    dir: `${DAY5}/modules/container-registry`,
    file: `${DAY5}/modules/container-registry/main.tf`,
    edit: (t) => replaceOrThrow(t, /\n {2}sku {17}= var\.sku\n/, '\n'),
    at: 'resource "azurerm_container_registry" "this"',
    expect: ['Missing required argument', 'The argument "sku" is required'],
  },
  {
    name: 'a wrong path in a module test assert (admin_enable)',
    dir: `${DAY5}/modules/container-registry`,
    file: `${DAY5}/modules/container-registry/tests/container_registry.tftest.hcl`,
    edit: (t) =>
      replaceOrThrow(
        t,
        'azurerm_container_registry.this.admin_enabled == false',
        'azurerm_container_registry.this.admin_enable == false',
      ),
    at: 'admin_enable ==',
    expect: ['Unsupported attribute', 'admin_enable'],
  },
];

/** 1-based line on which `text` starts, in the broken copy of `file`. */
function lineOf(root: string, file: string, text: string): number {
  const content = readFileSync(path.join(root, file), 'utf8');
  const offset = content.indexOf(text);
  if (offset < 0) throw new Error(`"${text}" is not in the broken ${file}`);
  return content.slice(0, offset).split('\n').length;
}

const describeViolations = (violations: Violation[]) =>
  violations.map((v) => `  ${v.file} (${v.object}): ${v.actual}`).join('\n') || '  (none)';

localRuntimeTier(
  'the provider tier catches each broken variant of days 5 and 7',
  ['terraform', 'terraform-schema-provider'],
  repoRoot,
  (tools) => {
    it('has at least 18 variants', () => {
      expect(variants.length).toBeGreaterThanOrEqual(18);
    });

    it.each(variants.map((variant) => [variant.name, variant] as const))('%s', async (_name, variant) => {
      const root = copyToTemp(repoRoot, TERRAFORM_TREES);
      try {
        mutateFile(root, variant.file, variant.edit);
        const reported = variant.reported ?? variant.file;
        const line = variant.at === undefined ? undefined : lineOf(root, reported, variant.at);
        const check = providerTierCheck(
          () => tools,
          variant.dir,
          'docs/decisions/0012-terraform-real-schema.md',
        );
        const violations = await check.run(root);
        const match = violations.find(
          (v) =>
            v.file === reported &&
            (line === undefined || v.object.startsWith(`line ${line}`)) &&
            variant.expect.every((part) => v.actual.includes(part)),
        );
        if (!match) {
          throw new Error(
            `expected a violation in ${reported}${line ? ` at line ${line}` : ''} with ${JSON.stringify(variant.expect)}; got:\n${describeViolations(violations)}`,
          );
        }
      } finally {
        removeTemp(root);
      }
    });
  },
);
