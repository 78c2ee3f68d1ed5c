import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineCheck, violationsFor, type Check, type Violation } from '@taskboard/verify/src/check';
import { findTool } from '@taskboard/verify/src/tools';
import {
  HclParseError,
  filesUnder,
  isLiteral,
  loadTerraformModule,
  parseHclFile,
  stringsIn,
  terraformDirsUnder,
  terraformFmtCheck,
  firstBlock,
  blockLine,
  type HclFile,
  type TfModule as TfModuleBase,
  type TfResource,
} from '@taskboard/verify/src/terraform';

export const DAY = 'day5-terraform';
export const ENV_DIR = `${DAY}/envs/dev`;
export const BOOTSTRAP_DIR = `${DAY}/bootstrap`;
/** Modules that use built-ins only: init, validate and test run offline for real. */
export const OFFLINE_MODULES = [`${DAY}/modules/naming`];

/** Which Terraform a set of checks covers: day 5's own folders, or day 7's root together with day 5's modules. */
export interface TerraformScope {
  /** How titles name the scope: "day 5". */
  label: string;
  /** Folders scanned for roots, modules and HCL files. */
  folders: string[];
  /** The environment root, which must store state in the azurerm backend. */
  envDir: string;
  /** The state bootstrap root, which keeps its own state local. */
  bootstrapDir: string;
  /** README whose #verify section the messages point at. */
  readme: string;
}

export const DAY5_SCOPE: TerraformScope = {
  label: 'day 5',
  folders: [DAY],
  envDir: ENV_DIR,
  bootstrapDir: BOOTSTRAP_DIR,
  readme: `${DAY}/README.md`,
};

/** Every Terraform root and module folder of a scope (those holding .tf files). */
export function terraformDirs(root: string, scope: TerraformScope = DAY5_SCOPE): string[] {
  return scope.folders
    .flatMap((folder) => terraformDirsUnder(root, folder))
    .filter((d) => !d.includes('/tests'));
}

/** Every HCL file of a scope: .tf, .tftest.hcl, .tfvars(.example) and backend .hcl(.example). */
export function hclFiles(root: string, scope: TerraformScope = DAY5_SCOPE): string[] {
  return scope.folders.flatMap((folder) =>
    filesUnder(root, folder, (n) => /\.(tf|tftest\.hcl|tfvars|tfvars\.example|hcl|hcl\.example)$/.test(n)),
  );
}

/** A root or module plus its tests/*.tftest.hcl files. */
type TfModule = TfModuleBase & { tests: HclFile[] };

async function loadWithTests(root: string, dir: string): Promise<TfModule> {
  const mod = await loadTerraformModule(root, dir);
  const testFiles = existsSync(path.join(root, dir, 'tests'))
    ? filesUnder(root, `${dir}/tests`, (n) => n.endsWith('.tftest.hcl'))
    : [];
  return { ...mod, tests: await Promise.all(testFiles.map((f) => parseHclFile(root, f))) };
}

/** A constraint pins a provider when it bounds the major version: `~> 4.42`, `>= 4.0, < 5.0` or an exact `4.42.0`. */
export function pinsMajor(constraint: string | undefined): boolean {
  if (!constraint) return false;
  return (
    /~>\s*\d+\.\d+/.test(constraint) ||
    /<\s*\d/.test(constraint) ||
    /^\s*=?\s*\d+\.\d+\.\d+\s*$/.test(constraint)
  );
}

/** Types that accept `tags` (the ones this day uses; role assignments, containers, budgets, diagnostic settings do not). */
export const TAGGABLE_TYPES = [
  'azurerm_resource_group',
  'azurerm_storage_account',
  'azurerm_container_registry',
  'azurerm_key_vault',
  'azurerm_log_analytics_workspace',
];

/** Parsed models per root and scope, shared by every check built for that scope. */
const cache = new Map<string, Promise<TfModule[]>>();

/**
 * Every Terraform check, for one scope. Day 5 runs them on its own folders; day 7 imports this factory and runs
 * them on its root plus the day 5 modules it calls, so the rules live in one place.
 */
export function terraformChecks(scope: TerraformScope) {
  const v = violationsFor(`${scope.readme}#verify`);
  const at = (file: string, line: number) => `${file}:${line}`;

  /** Parsed model of every root and module; a parse error becomes the violation of the parse check instead. */
  async function loadAll(root: string): Promise<TfModule[]> {
    const key = `${root}|${scope.folders.join(',')}`;
    if (!cache.has(key))
      cache.set(key, Promise.all(terraformDirs(root, scope).map((d) => loadWithTests(root, d))));
    return cache.get(key)!;
  }

  /** Checks that need the model run only when everything parses; the parse check reports the parse errors. */
  function modelCheck(title: string, run: (mods: TfModule[], root: string) => Violation[]): Check {
    return defineCheck(title, async (root) => {
      let mods: TfModule[];
      try {
        mods = await loadAll(root);
      } catch (error) {
        if (error instanceof HclParseError) {
          return [
            v(error.file, error.line ? `line ${error.line}` : 'whole file', {
              expected: 'HCL that parses (needed before this rule can be checked)',
              actual: `HCL does not parse: ${error.detail}`,
              fix: 'fix the syntax error first; `terraform fmt` points at it too',
            }),
          ];
        }
        throw error;
      }
      return run(mods, root);
    });
  }

  const guid = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
  /** Placeholder GUIDs in examples and mocks: all zeros apart from a short counter at the end. */
  const placeholderGuid = /^00000000-0000-0000-0000-0000000000\d\d$/;
  const wholeGuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

  function resourcesOfType(mods: TfModule[], type: string): TfResource[] {
    return mods.flatMap((m) => m.resources.filter((r) => r.mode === 'resource' && r.type === type));
  }

  const objectName = (r: TfResource) => `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;

  /**
   * Variables whose values follow a rule Azure or this course enforces, by name: each needs a validation block that
   * states it, so a wrong value fails at plan time with the rule instead of at apply time with an API error.
   */
  const VALIDATION_RULES: [RegExp, string][] = [
    [/^(name|workload|unique_suffix|location_short|state_container_name)$/, 'an Azure naming rule'],
    [/(^|_)location$/, 'an Azure region name'],
    [/(^|_)(tenant_id|principal_id|principal_ids)$/, 'a GUID'],
    [/(^|_)(sku|sku_name|replication_type|environment)$/, 'a fixed set of values'],
    [/_days$/, 'a range of days Azure accepts'],
    [/(ip_ranges|_emails|_date|workspace_id)$/, 'a format (CIDR, e-mail, date, resource id)'],
  ];

  const parseCheck = defineCheck(`every ${scope.label} HCL file parses (hcl2json)`, async (root) => {
    const violations: Violation[] = [];
    for (const file of hclFiles(root, scope)) {
      try {
        await parseHclFile(root, file);
      } catch (error) {
        if (!(error instanceof HclParseError)) throw error;
        violations.push(
          v(file, error.line ? `line ${error.line}` : 'whole file', {
            expected: 'valid HCL',
            actual: `HCL does not parse: ${error.detail}`,
            fix: 'fix the syntax at that line (unclosed braces and missing quotes are the usual causes)',
          }),
        );
      }
    }
    return violations;
  });

  const fmtCheck = defineCheck(
    `every ${scope.label} file is formatted (terraform fmt -check -recursive)`,
    (root) => {
      const terraform = findTool('terraform', root);
      if (!terraform) throw new Error('terraform not found: the fmt check runs inside the terraform tier');
      return scope.folders.flatMap((folder) =>
        terraformFmtCheck(terraform, root, folder).map((file) =>
          v(file, 'whole file', {
            expected: 'canonical terraform fmt layout',
            actual: 'terraform fmt -check lists this file as unformatted',
            fix: `terraform fmt ${path.posix.relative(folder, file)} (run inside ${folder}), or terraform fmt -recursive`,
          }),
        ),
      );
    },
  );

  const requiredVersionCheck = modelCheck('every root and module pins required_version', (mods) =>
    mods
      .filter((m) => !m.requiredVersion)
      .map((m) =>
        v(m.settings.file, 'terraform block', {
          expected: 'required_version = ">= 1.9, < 2.0"',
          actual: 'no required_version: any Terraform release, including the next major, may run this code',
          fix: `add required_version to the terraform block in ${m.dir}/versions.tf`,
        }),
      ),
  );

  const providersPinnedCheck = modelCheck(
    'every provider a root or module uses is pinned in required_providers',
    (mods) => {
      const violations: Violation[] = [];
      for (const mod of mods) {
        const used = new Set(mod.resources.map((r) => r.type.split('_')[0] ?? r.type));
        for (const provider of used) {
          const pinned = mod.requiredProviders.find((p) => p.name === provider);
          if (!pinned) {
            violations.push(
              v(mod.settings.file, `terraform.required_providers.${provider}`, {
                expected: `${provider} = { source = "hashicorp/${provider}", version = "~> 4.42" }`,
                actual: `${mod.dir} uses ${provider}_* resources but does not declare the provider`,
                fix: `declare ${provider} with a source and a version constraint in ${mod.dir}/versions.tf`,
              }),
            );
          } else if (!pinned.source || !pinsMajor(pinned.version)) {
            violations.push(
              v(at(pinned.file, pinned.line), `terraform.required_providers.${provider}`, {
                expected:
                  'source = "hashicorp/azurerm" and a version constraint that bounds the major, e.g. "~> 4.42"',
                actual: `source = ${pinned.source ?? '(none)'}, version = ${pinned.version ?? '(none): any release, including azurerm 5.x with its breaking changes'}`,
                fix: 'set version = "~> 4.42" (and commit the .terraform.lock.hcl that terraform init writes)',
              }),
            );
          }
        }
      }
      return violations;
    },
  );

  const backendCheck = modelCheck(
    'envs/dev stores state in the azurerm backend with Entra ID auth (use_azuread_auth)',
    (mods) => {
      const env = mods.find((m) => m.dir === scope.envDir);
      if (!env) {
        return [
          v(scope.envDir, 'folder', {
            expected: 'the dev environment root',
            actual: 'no .tf files',
            fix: 'restore envs/dev',
          }),
        ];
      }
      const backend = env.backends.find((b) => b.type === 'azurerm');
      if (!backend) {
        return [
          v(at(env.settings.file, env.settings.line), 'terraform block', {
            expected: 'backend "azurerm" { use_azuread_auth = true } (the rest from backend.hcl)',
            actual:
              env.backends.length > 0
                ? `backend "${env.backends.map((b) => b.type).join('", "')}"`
                : 'no backend block: state would be a local terraform.tfstate file, unshared, unlocked and easy to lose',
            fix: `add the backend "azurerm" block to ${scope.envDir}/versions.tf and run terraform init -backend-config=backend.hcl`,
          }),
        ];
      }
      if (backend.body.use_azuread_auth !== true) {
        return [
          v(at(backend.file, backend.line), 'backend "azurerm"', {
            expected: 'use_azuread_auth = true',
            actual: `use_azuread_auth = ${String(backend.body.use_azuread_auth ?? '(unset)')}: the backend would fetch the account key, which is disabled`,
            fix: 'set use_azuread_auth = true in the backend block',
          }),
        ];
      }
      return [];
    },
  );

  const bootstrapLocalStateCheck = modelCheck(
    'bootstrap keeps its own state local (no remote backend)',
    (mods) => {
      const bootstrap = mods.find((m) => m.dir === scope.bootstrapDir);
      return (bootstrap?.backends ?? [])
        .filter((b) => b.type !== 'local')
        .map((b) =>
          v(at(b.file, b.line), `backend "${b.type}"`, {
            expected: 'no backend block (local state)',
            actual: `backend "${b.type}": the bootstrap would need the storage account it is about to create`,
            fix: 'remove the backend block from bootstrap/versions.tf',
          }),
        );
    },
  );

  const variableDocsCheck = modelCheck('every variable has a type and a description', (mods) =>
    mods.flatMap((m) =>
      m.variables
        .filter((x) => !x.type || !x.description?.trim())
        .map((x) =>
          v(at(x.file, x.line), `variable "${x.name}"`, {
            expected: 'type = <type> and a non-empty description',
            actual: [!x.type && 'no type', !x.description?.trim() && 'no description']
              .filter(Boolean)
              .join(' and '),
            fix: `add the missing ${!x.type ? 'type' : 'description'} to variable "${x.name}"`,
          }),
        ),
    ),
  );

  const variableValidationCheck = modelCheck(
    'every variable that follows a rule has a validation block stating it',
    (mods) =>
      mods.flatMap((m) =>
        m.variables.flatMap((x) => {
          const rule = VALIDATION_RULES.find(([pattern]) => pattern.test(x.name));
          if (!rule || x.validations > 0) return [];
          return [
            v(at(x.file, x.line), `variable "${x.name}"`, {
              expected: `a validation block for ${rule[1]}, with the rule in error_message`,
              actual: 'no validation: a wrong value fails only at apply time, with an Azure API error',
              fix: `add validation { condition = ..., error_message = "..." } to variable "${x.name}"`,
            }),
          ];
        }),
      ),
  );

  const outputDocsCheck = modelCheck('every output has a description', (mods) =>
    mods.flatMap((m) =>
      m.outputs
        .filter((o) => !o.description?.trim())
        .map((o) =>
          v(at(o.file, o.line), `output "${o.name}"`, {
            expected: 'a description saying what the value is and who consumes it',
            actual: 'no description',
            fix: `add description = "..." to output "${o.name}"`,
          }),
        ),
    ),
  );

  function moduleTarget(root: string, mod: TfModule, source: string): string {
    return path.posix.normalize(path.posix.join(mod.dir, source));
  }

  const moduleSourcesCheck = modelCheck('every module source is a local folder that exists', (mods, root) =>
    mods.flatMap((m) =>
      m.modules.flatMap((call) => {
        const source = call.source ?? '';
        const target = moduleTarget(root, m, source);
        const ok = source.startsWith('./') || source.startsWith('../');
        const exists =
          ok && existsSync(path.join(root, target)) && statSync(path.join(root, target)).isDirectory();
        if (ok && exists) return [];
        return [
          v(at(call.file, call.line), `module "${call.name}"`, {
            expected: 'source = "../modules/<name>" (a local folder of this day)',
            actual: ok ? `${target} does not exist` : `source = "${source}" is not a local path`,
            fix: 'point source at one of day5-terraform/modules/*',
          }),
        ];
      }),
    ),
  );

  function calledModule(
    mods: TfModule[],
    caller: TfModule,
    source: string | undefined,
  ): TfModule | undefined {
    if (!source) return undefined;
    const target = path.posix.normalize(path.posix.join(caller.dir, source));
    return mods.find((m) => m.dir === target);
  }

  const moduleInputsExistCheck = modelCheck(
    'every argument passed to a module is a variable that module declares',
    (mods) =>
      mods.flatMap((m) =>
        m.modules.flatMap((call) => {
          const target = calledModule(mods, m, call.source);
          if (!target) return [];
          const declared = new Set(target.variables.map((x) => x.name));
          return Object.keys(call.inputs)
            .filter((input) => !declared.has(input))
            .map((input) =>
              v(
                at(call.file, call.inputLines[input] ?? call.line),
                `module "${call.name}" argument "${input}"`,
                {
                  expected: `one of the variables of ${target.dir}: ${[...declared].sort().join(', ')}`,
                  actual: `"${input}" is not declared there (terraform init would fail: Unsupported argument)`,
                  fix: `rename "${input}" to the variable it means, or declare it in ${target.dir}/variables.tf`,
                },
              ),
            );
        }),
      ),
  );

  const moduleRequiredInputsCheck = modelCheck(
    'every required module variable is passed by its caller',
    (mods) =>
      mods.flatMap((m) =>
        m.modules.flatMap((call) => {
          const target = calledModule(mods, m, call.source);
          if (!target) return [];
          return target.variables
            .filter((x) => !x.hasDefault && !(x.name in call.inputs))
            .map((x) =>
              v(at(call.file, call.line), `module "${call.name}"`, {
                expected: `${x.name} = ... (required: variable "${x.name}" in ${x.file} has no default)`,
                actual: `${x.name} is never passed (terraform would fail: Missing required argument)`,
                fix: `pass ${x.name} in module "${call.name}"`,
              }),
            );
        }),
      ),
  );

  const moduleOutputReferencesCheck = modelCheck(
    'every module.<name>.<output> reference names a module call and an output it declares',
    (mods) => {
      const violations: Violation[] = [];
      for (const m of mods) {
        const calls = new Map(m.modules.map((c) => [c.name, c]));
        for (const { file, text } of m.files) {
          text.split('\n').forEach((lineText, index) => {
            if (/^\s*#/.test(lineText)) return;
            for (const match of lineText.matchAll(/\bmodule\.([a-zA-Z_][\w-]*)\.([a-zA-Z_][\w-]*)/g)) {
              const [, moduleName = '', outputName = ''] = match;
              const call = calls.get(moduleName);
              const target = call && calledModule(mods, m, call.source);
              if (!call) {
                violations.push(
                  v(at(file, index + 1), `module.${moduleName}.${outputName}`, {
                    expected: `a module "${moduleName}" block in ${m.dir}`,
                    actual: `no module "${moduleName}": calls are ${[...calls.keys()].join(', ') || '(none)'}`,
                    fix: 'fix the module name in the reference',
                  }),
                );
              } else if (target && !target.outputs.some((o) => o.name === outputName)) {
                violations.push(
                  v(at(file, index + 1), `module.${moduleName}.${outputName}`, {
                    expected: `an output of ${target.dir}: ${target.outputs.map((o) => o.name).join(', ')}`,
                    actual: `${target.dir} has no output "${outputName}"`,
                    fix: `use one of those outputs, or add output "${outputName}" to ${target.dir}/outputs.tf`,
                  }),
                );
              }
            }
          });
        }
      }
      return violations;
    },
  );

  /** A resource argument that must hold a fixed literal value (the rule in checkov's terms). */
  function attributeRule(
    title: string,
    type: string,
    attribute: string,
    wanted: unknown,
    why: string,
    read: (r: TfResource) => unknown = (r) => r.body[attribute],
  ): Check {
    return modelCheck(title, (mods) =>
      resourcesOfType(mods, type).flatMap((r) => {
        const actual = read(r);
        if (actual === wanted) return [];
        return [
          v(at(r.file, r.lineOf(attribute.split('.')[0] ?? attribute)), objectName(r), {
            expected: `${attribute} = ${JSON.stringify(wanted)}`,
            actual: `${attribute} = ${actual === undefined ? '(unset)' : JSON.stringify(actual)}: ${why}`,
            fix: `set ${attribute} = ${JSON.stringify(wanted)} on ${objectName(r)}`,
          }),
        ];
      }),
    );
  }

  const acrAdminDisabledCheck = attributeRule(
    'CKV_AZURE_137: container registry admin user is disabled',
    'azurerm_container_registry',
    'admin_enabled',
    false,
    'the admin user is one shared password with push rights; use AcrPush/AcrPull role assignments',
  );

  const keyVaultPurgeProtectionCheck = attributeRule(
    'CKV_AZURE_110: Key Vault has purge protection',
    'azurerm_key_vault',
    'purge_protection_enabled',
    true,
    'a deleted vault and its secrets could be purged immediately and lost for good',
  );

  // No checkov rule reads rbac_authorization_enabled (bridgecrewio/checkov 3.3.13, checkov/terraform/checks/resource/
  // azure/); CKV_AZURE_242 is a Synapse Spark pool check. So this rule cites none.
  const keyVaultRbacCheck = attributeRule(
    'Key Vault authorizes data access with Azure RBAC (rbac_authorization_enabled)',
    'azurerm_key_vault',
    'rbac_authorization_enabled',
    true,
    'access policies are the legacy model (and enable_rbac_authorization is the deprecated 3.x name)',
  );

  const keyVaultNetworkDenyCheck = attributeRule(
    'Key Vault firewall defaults to Deny with an allow-list',
    'azurerm_key_vault',
    'network_acls.default_action',
    'Deny',
    'any address on the internet could reach the vault data plane',
    (r) => firstBlock(r.body.network_acls)?.default_action,
  );

  const storageTlsCheck = attributeRule(
    'CKV_AZURE_44: storage account requires TLS 1.2',
    'azurerm_storage_account',
    'min_tls_version',
    'TLS1_2',
    'clients could connect with TLS 1.0/1.1',
  );

  const storagePublicBlobCheck = attributeRule(
    'CKV_AZURE_190: storage account forbids public blob access',
    'azurerm_storage_account',
    'allow_nested_items_to_be_public',
    false,
    'a container could be made public, exposing the state (which holds secrets)',
  );

  const storageEntraOnlyCheck = attributeRule(
    'state storage accepts Entra ID only (shared_access_key_enabled = false)',
    'azurerm_storage_account',
    'shared_access_key_enabled',
    false,
    'an account key or SAS token could read and overwrite every state file',
  );

  const storageVersioningCheck = modelCheck(
    'storage account keeps blob versions and soft-deletes blobs and containers',
    (mods) =>
      resourcesOfType(mods, 'azurerm_storage_account').flatMap((r) => {
        const blob = firstBlock(r.body.blob_properties);
        const missing = [
          blob?.versioning_enabled !== true && 'versioning_enabled = true',
          !firstBlock(blob?.delete_retention_policy) && 'delete_retention_policy { days = ... }',
          !firstBlock(blob?.container_delete_retention_policy) &&
            'container_delete_retention_policy { days = ... }',
        ].filter((x): x is string => Boolean(x));
        if (missing.length === 0) return [];
        return [
          v(at(r.file, r.lineOf('blob_properties')), `${objectName(r)}.blob_properties`, {
            expected:
              'versioning_enabled = true, delete_retention_policy and container_delete_retention_policy',
            actual: `missing: ${missing.join(', ')}: an overwritten or deleted state file could not be restored`,
            fix: `add ${missing.join(' and ')} inside blob_properties`,
          }),
        ];
      }),
  );

  const keyVaultDiagnosticsCheck = modelCheck(
    'every Key Vault sends its audit logs to Log Analytics (diagnostic setting)',
    (mods) =>
      mods.flatMap((m) =>
        m.resources
          .filter((r) => r.mode === 'resource' && r.type === 'azurerm_key_vault')
          .filter(
            (vault) =>
              !m.resources.some(
                (d) =>
                  d.type === 'azurerm_monitor_diagnostic_setting' &&
                  stringsIn(d.body.target_resource_id).some((t) =>
                    t.includes(`azurerm_key_vault.${vault.name}.id`),
                  ) &&
                  'log_analytics_workspace_id' in d.body &&
                  'enabled_log' in d.body,
              ),
          )
          .map((vault) =>
            v(at(vault.file, vault.line), objectName(vault), {
              expected: `an azurerm_monitor_diagnostic_setting with target_resource_id = azurerm_key_vault.${vault.name}.id, log_analytics_workspace_id and an enabled_log block`,
              actual: 'no diagnostic setting: nobody can tell who read or changed a secret',
              fix: 'add the diagnostic setting next to the vault (see modules/key-vault/main.tf)',
            }),
          ),
      ),
  );

  const testsPlanOnlyCheck = modelCheck(
    'every root and module has tests/*.tftest.hcl that only plan, with mock_provider where it uses a provider',
    (mods) =>
      mods.flatMap((m) => {
        const tests = m.tests;
        const usesProvider = m.resources.length > 0;
        if (tests.length === 0) {
          return [
            v(`${m.dir}/tests`, 'folder', {
              expected: 'at least one tests/<name>.tftest.hcl',
              actual: 'no terraform test files: the module is untested',
              fix: `add ${m.dir}/tests/<name>.tftest.hcl with run blocks (command = plan)`,
            }),
          ];
        }
        return tests.flatMap((t) => {
          const problems: Violation[] = [];
          const mocks = Object.keys((t.body.mock_provider ?? {}) as Record<string, unknown>);
          if (usesProvider && !mocks.includes('azurerm')) {
            problems.push(
              v(t.file, 'mock_provider', {
                expected: 'mock_provider "azurerm" {}',
                actual: 'no mock provider: terraform test would call Azure with real credentials',
                fix: 'add mock_provider "azurerm" {} at the top of the file',
              }),
            );
          }
          const runs = Object.entries((t.body.run ?? {}) as Record<string, unknown>);
          for (const [name, blocks] of runs) {
            const command = firstBlock(blocks)?.command;
            if (command !== '${plan}') {
              problems.push(
                v(at(t.file, blockLine(t.text, 'run', [name]) ?? 1), `run "${name}"`, {
                  expected: 'command = plan',
                  actual: `command = ${command === undefined ? '(unset, which means apply)' : String(command)}`,
                  fix: `add command = plan to run "${name}": tests plan against the mock provider and never create resources`,
                }),
              );
            }
          }
          return problems;
        });
      }),
  );

  const tagsCheck = modelCheck('every taggable resource sets tags', (mods) =>
    mods.flatMap((m) =>
      m.resources
        .filter((r) => r.mode === 'resource' && TAGGABLE_TYPES.includes(r.type) && !('tags' in r.body))
        .map((r) =>
          v(at(r.file, r.line), objectName(r), {
            expected: 'tags = local.tags (or var.tags in a module): environment, workload, managed_by',
            actual: 'no tags: cost reports and cleanup scripts cannot tell what this resource belongs to',
            fix: `add tags = ${m.dir.includes('/modules/') ? 'var.tags' : 'local.tags'} to ${objectName(r)}`,
          }),
        ),
    ),
  );

  /**
   * The learner's own settings (terraform.tfvars, backend.hcl, *.auto.tfvars): git-ignored by day5-terraform/.gitignore,
   * so real object ids there never reach the repository. Only their committed .example twins are scanned.
   */
  const LOCAL_SETTINGS = /^(terraform\.tfvars|backend\.hcl|.*\.auto\.tfvars)$/;

  /** Argument names whose value is a credential; a literal string there is a leaked secret. */
  const secretName =
    /(password|secret|access_key|sas_token|connection_string|private_key|client_certificate|api_key|token)$/i;
  /** Argument names that identify a subscription or tenant: literals tie the code to one account and leak it. */
  const accountIdName = /(^|_)(subscription_id|tenant_id|client_id|object_id|principal_id)$/;

  function literalAssignments(value: unknown, trail: string[] = []): [string[], unknown][] {
    if (Array.isArray(value)) return value.flatMap((item) => literalAssignments(item, trail));
    if (value && typeof value === 'object') {
      return Object.entries(value).flatMap(([k, inner]) =>
        inner && typeof inner === 'object'
          ? literalAssignments(inner, [...trail, k])
          : [[[...trail, k], inner]],
      );
    }
    return [];
  }

  const noHardcodedSecretsCheck = defineCheck(
    'no subscription id, tenant id, password or key is written as a literal',
    async (root) => {
      const violations: Violation[] = [];
      for (const file of hclFiles(root, scope).filter((f) => !LOCAL_SETTINGS.test(path.posix.basename(f)))) {
        let parsed;
        try {
          parsed = await parseHclFile(root, file);
        } catch (error) {
          if (error instanceof HclParseError) continue; // the parse check reports it
          throw error;
        }
        const lines = parsed.text.split('\n');
        const reported = new Set<string>();
        const lineOf = (needle: string) => {
          const index = lines.findIndex((l) => l.includes(needle));
          return index >= 0 ? index + 1 : 1;
        };
        for (const [trail, value] of literalAssignments(parsed.body)) {
          const name = trail[trail.length - 1] ?? '';
          if (typeof value !== 'string' || !isLiteral(value) || value === '') continue;
          if (secretName.test(name)) {
            violations.push(
              v(at(file, lineOf(value)), name, {
                expected: `${name} from a variable marked sensitive, an environment variable or Key Vault`,
                actual: `${name} is the literal "${value.slice(0, 3)}…": anyone who can read the repository has it`,
                fix: 'remove the literal, rotate the credential, and pass it through a sensitive variable or Key Vault',
              }),
            );
          } else if (accountIdName.test(name) && wholeGuid.test(value) && !placeholderGuid.test(value)) {
            reported.add(value);
            violations.push(
              v(at(file, lineOf(value)), name, {
                expected: `${name} from data.azurerm_client_config, a variable or ARM_* environment variables`,
                actual: `${name} is the literal "${value}"`,
                fix: 'read it from data.azurerm_client_config.current or a variable; examples use 00000000-…-0000000000NN',
              }),
            );
          }
        }
        for (const value of stringsIn(parsed.body)) {
          for (const id of value.match(guid) ?? []) {
            if (placeholderGuid.test(id) || reported.has(id)) continue;
            violations.push(
              v(at(file, lineOf(id)), 'GUID literal', {
                expected: 'no real subscription, tenant or object id in the repository',
                actual: `the literal GUID ${id}`,
                fix: 'replace it with a variable (examples use placeholders such as 00000000-0000-0000-0000-000000000000)',
              }),
            );
          }
        }
      }
      return violations;
    },
  );

  /** Checks that need only Node: parse, structure, cross-references and security policy. */
  const staticChecks: Check[] = [
    parseCheck,
    requiredVersionCheck,
    providersPinnedCheck,
    backendCheck,
    bootstrapLocalStateCheck,
    variableDocsCheck,
    variableValidationCheck,
    outputDocsCheck,
    moduleSourcesCheck,
    moduleInputsExistCheck,
    moduleRequiredInputsCheck,
    moduleOutputReferencesCheck,
    acrAdminDisabledCheck,
    keyVaultPurgeProtectionCheck,
    keyVaultRbacCheck,
    keyVaultNetworkDenyCheck,
    keyVaultDiagnosticsCheck,
    testsPlanOnlyCheck,
    storageTlsCheck,
    storagePublicBlobCheck,
    storageEntraOnlyCheck,
    storageVersioningCheck,
    tagsCheck,
    noHardcodedSecretsCheck,
  ];

  return {
    parseCheck,
    fmtCheck,
    requiredVersionCheck,
    providersPinnedCheck,
    backendCheck,
    bootstrapLocalStateCheck,
    variableDocsCheck,
    variableValidationCheck,
    outputDocsCheck,
    moduleSourcesCheck,
    moduleInputsExistCheck,
    moduleRequiredInputsCheck,
    moduleOutputReferencesCheck,
    acrAdminDisabledCheck,
    keyVaultPurgeProtectionCheck,
    keyVaultRbacCheck,
    keyVaultNetworkDenyCheck,
    storageTlsCheck,
    storagePublicBlobCheck,
    storageEntraOnlyCheck,
    storageVersioningCheck,
    keyVaultDiagnosticsCheck,
    testsPlanOnlyCheck,
    tagsCheck,
    noHardcodedSecretsCheck,
    staticChecks,
  };
}

const day5 = terraformChecks(DAY5_SCOPE);
export const {
  parseCheck,
  fmtCheck,
  requiredVersionCheck,
  providersPinnedCheck,
  backendCheck,
  bootstrapLocalStateCheck,
  variableDocsCheck,
  variableValidationCheck,
  outputDocsCheck,
  moduleSourcesCheck,
  moduleInputsExistCheck,
  moduleRequiredInputsCheck,
  moduleOutputReferencesCheck,
  acrAdminDisabledCheck,
  keyVaultPurgeProtectionCheck,
  keyVaultRbacCheck,
  keyVaultNetworkDenyCheck,
  storageTlsCheck,
  storagePublicBlobCheck,
  storageEntraOnlyCheck,
  storageVersioningCheck,
  keyVaultDiagnosticsCheck,
  testsPlanOnlyCheck,
  tagsCheck,
  noHardcodedSecretsCheck,
  staticChecks,
} = day5;

/** Every file the checks read, for fixture copies. */
export const fixturePaths = [DAY];
