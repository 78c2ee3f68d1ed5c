import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defineCheck, violationsFor, type Check, type Violation } from '@taskboard/verify/src/check';
import { readYaml } from '@taskboard/verify/src/files';
import {
  asArray,
  containersOf,
  get,
  isRecord,
  objectRef,
  podTemplates,
  type Rendered,
} from '@taskboard/verify/src/k8s';
import {
  HclParseError,
  firstBlock,
  loadTerraformModule,
  type TfModule,
  type TfResource,
} from '@taskboard/verify/src/terraform';
import { terraformChecks, type TerraformScope } from '../../day5-terraform/verify/checks';
import { CHART, NAMESPACE, RELEASE, helmTemplate, type RenderRequest } from '../../day3-helm/verify/helm';

/*
 * Day 7's own checks: the cross-references between the Terraform root, day 3's chart in secrets.mode=keyvault and
 * the API. Each failure in this area shows up in the cluster as something opaque (a 403 from Key Vault, a pod stuck
 * in ContainerCreating, AADSTS700213, ImagePullBackOff); here it fails with the two values that disagree.
 */

export const DAY = 'day7-keyvault-aks';
export const TF_DIR = `${DAY}/terraform`;
export const OVERLAY = `${DAY}/values-aks.yaml`;
export const OUTPUTS = `${TF_DIR}/outputs.tf`;
export const README = `${DAY}/README.md`;

const docs = (section: string) => `${README}#${section}`;
const v = violationsFor(docs('verify'));
const at = (file: string, line: number) => `${file}:${line}`;

/** Day 5's Terraform rules, applied to day 7's root together with the day 5 modules it calls. */
export const DAY7_SCOPE: TerraformScope = {
  label: 'day 7',
  folders: [TF_DIR, 'day5-terraform/modules'],
  envDir: TF_DIR,
  bootstrapDir: 'day5-terraform/bootstrap',
  readme: README,
};
export const day5Rules = terraformChecks(DAY7_SCOPE);

// --- Terraform: a small, explicit evaluator for the expressions these checks need -----------------------------

/** `${...}` spans of an hcl2json string, or the whole string when it is one expression. */
const wholeExpression = (value: unknown): string | undefined =>
  typeof value === 'string' && /^\$\{[^]*\}$/.test(value) ? value.slice(2, -1).trim() : undefined;

function variableDefault(mod: TfModule, name: string): unknown {
  for (const file of mod.files) {
    const block = firstBlock((file.body.variable as Record<string, unknown> | undefined)?.[name]);
    if (block && 'default' in block) return block.default;
  }
  return undefined;
}

/**
 * Resolves `${var.x}` (from defaults) and `${each.value}`/`${each.key}` inside a string; anything else stays
 * unresolved and the caller reports it, so a check never guesses.
 */
function interpolate(mod: TfModule, text: string, each?: string): string | undefined {
  let unresolved = false;
  const out = text.replace(/\$\{\s*([^}]+?)\s*\}/g, (_all, expression: string) => {
    const variable = /^var\.(\w+)$/.exec(expression);
    if (variable) {
      const value = variableDefault(mod, variable[1]!);
      if (typeof value === 'string') return value;
    } else if ((expression === 'each.value' || expression === 'each.key') && each !== undefined) {
      return each;
    }
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : out;
}

/** The instances of a resource: one (undefined key) without for_each, or one per element of `toset(var.list)`. */
function instanceKeys(mod: TfModule, r: TfResource): (string | undefined)[] | undefined {
  if (!('for_each' in r.body)) return [undefined];
  const list = /^toset\(var\.(\w+)\)$/.exec(wholeExpression(r.body.for_each) ?? '');
  const value = list ? variableDefault(mod, list[1]!) : undefined;
  return Array.isArray(value) && value.every((x) => typeof x === 'string') ? (value as string[]) : undefined;
}

const resourcesOf = (mod: TfModule, type: string) =>
  mod.resources.filter((r) => r.mode === 'resource' && r.type === type);
const address = (r: TfResource) => `${r.type}.${r.name}`;

/** `azurerm_user_assigned_identity.<name>` when the whole expression is `<that>.<attribute>`. */
const identityOf = (value: unknown, attribute: string): string | undefined =>
  new RegExp(`^(azurerm_user_assigned_identity\\.\\w+)\\.${attribute}$`).exec(
    wholeExpression(value) ?? '',
  )?.[1];

/**
 * The expressions that name a cluster's kubelet principal: the cluster's computed
 * `kubelet_identity[0].object_id`, and the `principal_id` of the user-assigned identity that its
 * `kubelet_identity` block attaches.
 */
function kubeletPrincipals(mod: TfModule): string[] {
  return resourcesOf(mod, 'azurerm_kubernetes_cluster').flatMap((c) => {
    const attached = identityOf(firstBlock(c.body.kubelet_identity)?.user_assigned_identity_id, 'id');
    return [`${address(c)}.kubelet_identity[0].object_id`, ...(attached ? [`${attached}.principal_id`] : [])];
  });
}

const cache = new Map<string, Promise<TfModule>>();
function loadRoot(root: string): Promise<TfModule> {
  if (!cache.has(root)) cache.set(root, loadTerraformModule(root, TF_DIR));
  return cache.get(root)!;
}

/** A check over day 7's Terraform root; an HCL parse error is reported by day 5's parse check instead. */
function terraformCheck(title: string, run: (mod: TfModule, root: string) => Violation[]): Check {
  return defineCheck(title, async (root) => {
    let mod: TfModule;
    try {
      mod = await loadRoot(root);
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
    return run(mod, root);
  });
}

/** The federated credentials' subjects, resolved, with the resource and line they come from. */
function federatedSubjects(mod: TfModule): { subject?: string; raw: string; r: TfResource }[] {
  return resourcesOf(mod, 'azurerm_federated_identity_credential').flatMap((r) => {
    const raw = String(r.body.subject ?? '');
    const keys = instanceKeys(mod, r);
    if (!keys) return [{ raw, r }];
    return keys.map((key) => ({ subject: interpolate(mod, raw, key), raw, r }));
  });
}

/** A `locals` value of the root, as hcl2json wrote it (`${...}` strings for expressions). */
function localValue(mod: TfModule, name: string): unknown {
  for (const file of mod.files) {
    for (const block of asArray(file.body.locals)) {
      if (isRecord(block) && name in block) return block[name];
    }
  }
  return undefined;
}

/** An expression with `local.x` replaced by the local's own expression, so a scope can be compared as written. */
function expandLocal(mod: TfModule, expression: string | undefined): string | undefined {
  const local = /^local\.(\w+)$/.exec(expression ?? '');
  if (!local) return expression;
  const value = localValue(mod, local[1]!);
  return typeof value === 'string' ? value : expression;
}

/** The pipeline's role assignments: principal_id = var.deploy_principal_id (main.deploy.tf). */
const DEPLOY_PRINCIPAL = 'var.deploy_principal_id';
const deployAssignments = (mod: TfModule) =>
  resourcesOf(mod, 'azurerm_role_assignment').filter(
    (r) => wholeExpression(r.body.principal_id) === DEPLOY_PRINCIPAL,
  );

function keyVaultSecretNames(mod: TfModule): { name?: string; r: TfResource }[] {
  return resourcesOf(mod, 'azurerm_key_vault_secret').map((r) => ({
    name: interpolate(mod, String(r.body.name ?? '')),
    r,
  }));
}

// --- The Terraform output, read from outputs.tf ------------------------------------------------------------------

/**
 * Values only an apply knows (ids, generated names, hosts), by the attribute an expression reads. They only have to
 * be valid where the chart's values.schema.json checks a format; the checks compare names and shapes, not these.
 */
const APPLY_TIME_STAND_INS: [RegExp, string][] = [
  [/\.(client_id|tenant_id|principal_id|object_id)$/, '00000000-0000-0000-0000-000000000000'],
  [/\.fqdn$/, 'example.postgres.database.azure.com'],
  [/\.login_server$/, 'example.azurecr.io'],
  [/\.name$/, 'example-name'],
];

/** One expression of an output: a resource attribute written as a literal (or from variable defaults), else a stand-in. */
function standIn(mod: TfModule, expression: string): string {
  const variable = /^var\.(\w+)$/.exec(expression);
  if (variable) {
    const value = variableDefault(mod, variable[1]!);
    if (typeof value === 'string') return value;
  }
  const attribute = /^(azurerm_\w+)\.(\w+)\.(\w+)(?:\[(\d+)\])?$/.exec(expression);
  if (attribute) {
    const [, type, name, key, index] = attribute;
    const resource = resourcesOf(mod, type!).find((r) => r.name === name);
    const written = index === undefined ? resource?.body[key!] : asArray(resource?.body[key!])[Number(index)];
    const resolved = typeof written === 'string' ? interpolate(mod, written) : undefined;
    if (resolved !== undefined && !resolved.includes('${')) return resolved;
  }
  return (
    APPLY_TIME_STAND_INS.find(([pattern]) => pattern.test(expression))?.[1] ??
    `example-${expression.replace(/\W+/g, '-')}`
  );
}

/**
 * What `terraform output -json helm_values` would print, built from output "helm_values" in outputs.tf itself:
 * its keys as written, literal values resolved, apply-time values stood in for. So a key renamed or dropped in
 * outputs.tf changes what the chart is rendered with.
 */
export function helmValuesFromOutputs(mod: TfModule): unknown {
  const output = mod.outputs.find((o) => o.name === 'helm_values');
  const walk = (value: unknown): unknown => {
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, walk(x)]));
    if (typeof value !== 'string') return value;
    return value.replace(/\$\{\s*([^}]+?)\s*\}/g, (_all, expression: string) => standIn(mod, expression));
  };
  return walk(output?.value ?? {});
}

/**
 * Where verify writes helmValuesFromOutputs, as deploy.sh writes `terraform output -json helm_values` to a file
 * for `helm -f`. Under artifacts/ (git-ignored, rewritten by every run).
 */
export const TF_VALUES = `${DAY}/artifacts/helm-values.from-outputs.json`;
/** The chart rendered exactly as the lab installs it: the overlay, then the Terraform output (from outputs.tf). */
export const AKS_REQUEST: RenderRequest = { valuesFiles: [OVERLAY, TF_VALUES] };

function writeTerraformValues(root: string, mod: TfModule): void {
  mkdirSync(path.join(root, path.dirname(TF_VALUES)), { recursive: true });
  writeFileSync(path.join(root, TF_VALUES), `${JSON.stringify(helmValuesFromOutputs(mod), null, 2)}\n`);
}

/** Writes TF_VALUES from outputs.tf under `root`: call it before rendering AKS_REQUEST outside crossChecks. */
export async function prepareAksRequest(root: string): Promise<void> {
  writeTerraformValues(root, await loadRoot(root));
}

// --- The rendered chart -----------------------------------------------------------------------------------------

const render = (helm: () => string, root: string, mod: TfModule) => {
  writeTerraformValues(root, mod);
  return helmTemplate(helm(), root, AKS_REQUEST);
};

/** A check over the chart rendered as the lab installs it, with day 7's Terraform root at hand. */
function crossCheck(
  helm: () => string,
  title: string,
  run: (objects: Rendered[], mod: TfModule, root: string) => Violation[],
): Check {
  return terraformCheck(title, (mod, root) => {
    let objects: Rendered[];
    try {
      objects = render(helm, root, mod);
    } catch (error) {
      return [
        v(CHART, `helm template ${RELEASE} -f ${OVERLAY} -f <output "helm_values" of ${OUTPUTS}>`, {
          expected: 'a chart that renders in keyvault mode (see the render check)',
          actual: (error as Error).message.split('\n').slice(0, 3).join(' '),
          fix: 'fix the first error helm reports',
        }),
      ];
    }
    return run(objects, mod, root);
  });
}

const isSecretProviderClass = (r: Rendered) => r.obj.kind === 'SecretProviderClass';

/** The objectName (or objectAlias, which names the file) of each object of a SecretProviderClass. */
export function providerObjects(spc: Rendered): { objectName: string; fileName: string }[] {
  const text = get(spc.obj, 'spec', 'parameters', 'objects');
  if (typeof text !== 'string') return [];
  const parsed: unknown = parseYaml(text);
  return asArray(get(parsed, 'array')).flatMap((item) => {
    const entry: unknown = typeof item === 'string' ? parseYaml(item) : item;
    if (!isRecord(entry) || typeof entry.objectName !== 'string') return [];
    const alias = typeof entry.objectAlias === 'string' && entry.objectAlias ? entry.objectAlias : undefined;
    return [{ objectName: entry.objectName, fileName: alias ?? entry.objectName }];
  });
}

interface CsiMount {
  pod: ReturnType<typeof podTemplates>[number];
  volume: string;
  spc: string;
  mountPath?: string;
  container?: string;
}

/** Every container mount of a Secrets Store CSI volume, with the SecretProviderClass it names. */
function csiMounts(objects: Rendered[]): CsiMount[] {
  const out: CsiMount[] = [];
  for (const pod of podTemplates(objects, NAMESPACE)) {
    for (const volume of asArray(pod.spec.volumes)) {
      if (get(volume, 'csi', 'driver') !== 'secrets-store.csi.k8s.io') continue;
      const name = String(get(volume, 'name'));
      const spc = String(get(volume, 'csi', 'volumeAttributes', 'secretProviderClass') ?? '');
      const mounts = containersOf(pod).flatMap((c) =>
        asArray(c.container.volumeMounts)
          .filter((m) => get(m, 'name') === name)
          .map((m) => ({ container: c.name, mountPath: String(get(m, 'mountPath')) })),
      );
      if (mounts.length === 0) out.push({ pod, volume: name, spc });
      for (const m of mounts) out.push({ pod, volume: name, spc, ...m });
    }
  }
  return out;
}

const shown = (value: unknown) => (value === undefined ? '(unset)' : JSON.stringify(value));

const samePod = (a: CsiMount['pod'], b: CsiMount['pod']) => a.r === b.r && a.specPath === b.specPath;

// --- Cross-reference checks -------------------------------------------------------------------------------------

export function crossChecks(helm: () => string): Check[] {
  return [
    crossCheck(
      helm,
      'every pod that mounts Key Vault runs as a ServiceAccount whose subject Terraform federates (system:serviceaccount:<namespace>:<name>)',
      (objects, mod) => {
        const subjects = federatedSubjects(mod);
        const unresolved = subjects.filter((s) => s.subject === undefined);
        if (unresolved.length > 0) {
          return unresolved.map((s) =>
            v(at(s.r.file, s.r.lineOf('subject')), address(s.r), {
              expected:
                'subject = "system:serviceaccount:${var.kubernetes_namespace}:${each.value}" with for_each = toset(var.service_account_names), or a literal',
              actual: `subject = ${s.raw}: this check cannot resolve it from variable defaults`,
              fix: 'write the subject from variables with defaults so it can be compared with the chart',
            }),
          );
        }
        const known = new Set(subjects.map((s) => s.subject!));
        const seen = new Set<string>();
        const out: Violation[] = [];
        for (const mount of csiMounts(objects)) {
          const account = String(mount.pod.spec.serviceAccountName ?? 'default');
          const subject = `system:serviceaccount:${mount.pod.namespace}:${account}`;
          if (known.has(subject) || seen.has(subject)) continue;
          seen.add(subject);
          // The account is federated, but in another namespace: Terraform's namespace is wrong, not the chart's
          // ServiceAccount (issue 19). Blame the variable the subject reads it from, or the subject itself.
          const elsewhere = subjects.find(
            (s) => s.subject?.startsWith('system:serviceaccount:') && s.subject.endsWith(`:${account}`),
          );
          if (elsewhere?.subject) {
            const namespaceVariable = /^system:serviceaccount:\$\{var\.(\w+)\}:/.exec(elsewhere.raw)?.[1];
            const variable = mod.variables.find((x) => x.name === namespaceVariable);
            out.push(
              v(
                variable
                  ? at(variable.file, variable.line)
                  : at(elsewhere.r.file, elsewhere.r.lineOf('subject')),
                variable ? `variable "${variable.name}" default` : `${address(elsewhere.r)}.subject`,
                {
                  expected: `${subject}: the chart's ServiceAccount in namespace ${mount.pod.namespace}, where the chart is installed (helm -n ${NAMESPACE})`,
                  actual: `${elsewhere.subject}: Entra ID would answer AADSTS700213 (no matching federated identity record) and the volume would never mount`,
                  fix: variable
                    ? `set the default of ${variable.name} back to "${mount.pod.namespace}" (the namespace deploy.sh installs into) and apply`
                    : `write the subject with namespace ${mount.pod.namespace} and apply`,
                },
              ),
            );
            continue;
          }
          out.push(
            v(mount.pod.r.file, `${objectRef(mount.pod.r.obj)} serviceAccountName`, {
              expected: `one of the federated subjects in ${TF_DIR}: ${[...known].join(', ') || '(none)'}`,
              actual: `${subject}: Entra ID would answer AADSTS700213 (no matching federated identity record) and the volume would never mount`,
              fix: `rename the ServiceAccount back (serviceAccount.name in ${OVERLAY}) or add "${account}" to service_account_names in ${TF_DIR}/variables.tf and apply`,
            }),
          );
        }
        return out;
      },
    ),
    crossCheck(
      helm,
      'every SecretProviderClass object is a Key Vault secret that Terraform creates',
      (objects, mod) => {
        const secrets = keyVaultSecretNames(mod);
        const names = new Set(secrets.flatMap((s) => (s.name ? [s.name] : [])));
        const out: Violation[] = [];
        const classes = objects.filter(isSecretProviderClass);
        if (classes.length === 0) {
          return [
            v(`${CHART}/templates/secretproviderclass.yaml`, 'SecretProviderClass', {
              expected: 'a SecretProviderClass in secrets.mode=keyvault',
              actual: 'none rendered',
              fix: `set secrets.mode: keyvault in ${OVERLAY}`,
            }),
          ];
        }
        for (const spc of classes) {
          const objectsOf = providerObjects(spc);
          if (objectsOf.length === 0) {
            out.push(
              v(spc.file, `${objectRef(spc.obj)} spec.parameters.objects`, {
                expected: 'an `array:` of objects, each with objectName and objectType: secret',
                actual: 'no objects: the driver would mount an empty volume',
                fix: 'restore the objects list in taskboard.keyvaultSpec (_helpers.tpl)',
              }),
            );
          }
          for (const o of objectsOf.filter((x) => !names.has(x.objectName))) {
            out.push(
              v(spc.file, `${objectRef(spc.obj)} objectName "${o.objectName}"`, {
                expected: `a secret Terraform writes to the vault: ${[...names].join(', ') || '(none)'} (azurerm_key_vault_secret in ${TF_DIR})`,
                actual: `"${o.objectName}" does not exist in Key Vault: the mount fails (SecretNotFound) and the pod stays in ContainerCreating`,
                fix: 'use secrets.keyvault.passwordSecretName from `terraform output -json helm_values` instead of a hand-written name',
              }),
            );
          }
        }
        return out;
      },
    ),
    crossCheck(
      helm,
      'PGPASSWORD_FILE is the CSI mount path plus a file the SecretProviderClass writes',
      (objects) => {
        const classes = new Map(objects.filter(isSecretProviderClass).map((r) => [r.obj.metadata.name, r]));
        const mounts = csiMounts(objects);
        const out: Violation[] = [];
        let readers = 0;
        for (const pod of podTemplates(objects, NAMESPACE)) {
          for (const c of containersOf(pod)) {
            const env = asArray(c.container.env).find((e) => get(e, 'name') === 'PGPASSWORD_FILE');
            if (!env) continue;
            readers++;
            const file = String(get(env, 'value') ?? '');
            const where = `${objectRef(pod.r.obj)} container "${c.name}" PGPASSWORD_FILE`;
            const mount = mounts.find(
              (m) =>
                samePod(m.pod, pod) &&
                m.container === c.name &&
                m.mountPath &&
                file.startsWith(`${m.mountPath}/`),
            );
            if (!mount) {
              const paths = mounts
                .filter((m) => samePod(m.pod, pod) && m.container === c.name)
                .map((m) => m.mountPath);
              out.push(
                v(pod.r.file, where, {
                  expected: `a path inside this container's Key Vault mount (${paths.join(', ') || 'no CSI volume mounted'})`,
                  actual: `${file}: the API fails at startup with "PGPASSWORD_FILE: cannot read ${file} (ENOENT)"`,
                  fix: 'derive both from secrets.keyvault.mountPath (taskboard.keyvaultVolumeMount and taskboard.keyvaultPasswordFile)',
                }),
              );
              continue;
            }
            const relative = path.posix.relative(mount.mountPath!, file);
            const spc = classes.get(mount.spc);
            const files = spc ? providerObjects(spc).map((o) => o.fileName) : [];
            if (!files.includes(relative)) {
              out.push(
                v(pod.r.file, where, {
                  expected: `${mount.mountPath}/<a file SecretProviderClass "${mount.spc}" writes: ${files.join(', ') || 'none'}>`,
                  actual: `${file}: no object of that class is written as "${relative}"`,
                  fix: 'name the file after the objectName (or objectAlias) in the SecretProviderClass',
                }),
              );
            }
          }
        }
        if (readers === 0) {
          out.push(
            v(`${CHART}/templates/_helpers.tpl`, 'taskboard.dbEnv', {
              expected: 'the API and migrate containers set PGPASSWORD_FILE in keyvault mode',
              actual: 'no container sets PGPASSWORD_FILE',
              fix: 'render PGPASSWORD_FILE from taskboard.keyvaultPasswordFile when secrets.mode=keyvault',
            }),
          );
        }
        return out;
      },
    ),
    crossCheck(helm, 'no rendered Secret holds the database password in keyvault mode', (objects) => {
      const out: Violation[] = [];
      for (const r of objects) {
        if (r.obj.kind === 'Secret') {
          const keys = [
            ...Object.keys(isRecord(r.obj.data) ? r.obj.data : {}),
            ...Object.keys(isRecord(r.obj.stringData) ? r.obj.stringData : {}),
          ];
          out.push(
            v(r.file, objectRef(r.obj), {
              expected:
                'no Secret: the password lives in Key Vault and reaches the pod as a CSI-mounted file',
              actual: `a Secret with keys ${keys.join(', ') || '(none)'}: readable by anyone who can get Secrets in the namespace, stored in etcd and the release history`,
              fix: 'render secret.yaml only when secrets.mode=kubernetes',
            }),
          );
        }
        if (isSecretProviderClass(r) && asArray(get(r.obj, 'spec', 'secretObjects')).length > 0) {
          out.push(
            v(r.file, `${objectRef(r.obj)} spec.secretObjects`, {
              expected: 'no secretObjects (the file mount is the only copy in the cluster)',
              actual:
                'secretObjects syncs the password into a Kubernetes Secret while a pod mounts the volume',
              fix: 'remove secretObjects; the API reads PGPASSWORD_FILE (see docs/threat-model.md, "secretObjects")',
            }),
          );
        }
        if (r.obj.kind !== 'Secret' && !isSecretProviderClass(r)) {
          for (const pod of podTemplates([r], NAMESPACE)) {
            for (const c of containersOf(pod)) {
              for (const e of asArray(c.container.env)) {
                if (get(e, 'name') === 'PGPASSWORD' && get(e, 'valueFrom', 'secretKeyRef')) {
                  out.push(
                    v(r.file, `${objectRef(r.obj)} container "${c.name}" env PGPASSWORD`, {
                      expected: 'PGPASSWORD_FILE pointing into the Key Vault mount',
                      actual: 'PGPASSWORD from a secretKeyRef: a Kubernetes Secret must exist to hold it',
                      fix: 'render PGPASSWORD_FILE instead in keyvault mode (taskboard.dbEnv)',
                    }),
                  );
                }
              }
            }
          }
        }
      }
      return out;
    }),
    crossCheck(
      helm,
      'pods that mount Key Vault carry azure.workload.identity/use and a ServiceAccount annotated with the Terraform identity',
      (objects) => {
        const accounts = new Map(
          objects.filter((r) => r.obj.kind === 'ServiceAccount').map((r) => [r.obj.metadata.name, r]),
        );
        const clientIds = objects
          .filter(isSecretProviderClass)
          .map((r) => get(r.obj, 'spec', 'parameters', 'clientID'));
        const out: Violation[] = [];
        const done = new Set<string>();
        const mounts = csiMounts(objects);
        if (mounts.length === 0) {
          out.push(
            v(`${CHART}/templates/api.yaml`, 'spec.template.spec.volumes', {
              expected: 'the API and migrate pods mount a secrets-store.csi.k8s.io volume in keyvault mode',
              actual: 'no pod mounts one: the password file would never appear',
              fix: 'include taskboard.keyvaultVolume and taskboard.keyvaultVolumeMount in the pod templates',
            }),
          );
        }
        for (const mount of mounts) {
          const ref = objectRef(mount.pod.r.obj);
          if (done.has(ref)) continue;
          done.add(ref);
          if (mount.pod.labels['azure.workload.identity/use'] !== 'true') {
            out.push(
              v(mount.pod.r.file, `${ref} pod label azure.workload.identity/use`, {
                expected: '"true"',
                actual: String(mount.pod.labels['azure.workload.identity/use'] ?? '(unset)'),
                fix: 'include taskboard.keyvaultPodLabels in the pod template labels',
              }),
            );
          }
          const name = String(mount.pod.spec.serviceAccountName ?? 'default');
          const annotation =
            accounts.get(name)?.obj.metadata.annotations?.['azure.workload.identity/client-id'];
          if (!annotation || !clientIds.includes(annotation)) {
            out.push(
              v(
                accounts.get(name)?.file ?? mount.pod.r.file,
                `ServiceAccount/${name} azure.workload.identity/client-id`,
                {
                  expected: `the SecretProviderClass clientID (${clientIds.map(String).join(', ')})`,
                  actual: annotation ?? '(unset)',
                  fix: 'annotate the ServiceAccount from secrets.keyvault.clientId (serviceaccount.yaml, migrate-job.yaml)',
                },
              ),
            );
          }
        }
        return out;
      },
    ),
    terraformCheck(
      'the chart values Terraform knows flow from its helm_values output (client id of the federated identity with Key Vault Secrets User)',
      (mod, root) => {
        const output = mod.outputs.find((o) => o.name === 'helm_values');
        if (!output) {
          return [
            v(`${TF_DIR}/outputs.tf`, 'output "helm_values"', {
              expected:
                'an output shaped like the chart values: secrets.keyvault.{clientId,tenantId,vaultName,passwordSecretName}, ...',
              actual: 'missing: the lab would copy ids by hand',
              fix: 'restore output "helm_values" in outputs.tf',
            }),
          ];
        }
        const out: Violation[] = [];
        const clientId = get(output.value, 'secrets', 'keyvault', 'clientId');
        const identity = /^azurerm_user_assigned_identity\.(\w+)\.client_id$/.exec(
          wholeExpression(clientId) ?? '',
        );
        if (!identity) {
          out.push(
            v(at(output.file, output.line), 'output "helm_values" secrets.keyvault.clientId', {
              expected: 'azurerm_user_assigned_identity.<name>.client_id',
              actual: JSON.stringify(clientId ?? '(unset)'),
              fix: 'output the client id of the identity that carries the federated credentials',
            }),
          );
        } else {
          const name = identity[1]!;
          const federated = resourcesOf(mod, 'azurerm_federated_identity_credential').some(
            (r) =>
              wholeExpression(r.body.user_assigned_identity_id ?? r.body.parent_id) ===
              `azurerm_user_assigned_identity.${name}.id`,
          );
          const reader = resourcesOf(mod, 'azurerm_role_assignment').some(
            (r) =>
              r.body.role_definition_name === 'Key Vault Secrets User' &&
              wholeExpression(r.body.principal_id) === `azurerm_user_assigned_identity.${name}.principal_id`,
          );
          if (!federated || !reader) {
            out.push(
              v(at(output.file, output.line), 'output "helm_values" secrets.keyvault.clientId', {
                expected: `azurerm_user_assigned_identity.${name} to have federated credentials and Key Vault Secrets User`,
                actual: [!federated && 'no federated credential', !reader && 'no Key Vault Secrets User role']
                  .filter(Boolean)
                  .join(' and '),
                fix: 'output the client id of the API identity (azurerm_user_assigned_identity.api)',
              }),
            );
          }
        }
        const overlay = readYaml(root, OVERLAY);
        for (const key of ['clientId', 'tenantId', 'vaultName']) {
          const value = get(overlay, 'secrets', 'keyvault', key);
          if (value !== undefined && value !== '') {
            out.push(
              v(OVERLAY, `secrets.keyvault.${key}`, {
                expected: `unset here: it comes from \`terraform output -json helm_values\` (-f terraform/helm-values.json)`,
                actual: `hard-coded ${JSON.stringify(value)}: it goes stale when the identity or vault is recreated`,
                fix: `remove secrets.keyvault.${key} from ${OVERLAY}`,
              }),
            );
          }
        }
        // passwordSecretName must be the name of a secret Terraform writes (a renamed output key or a literal is not).
        const secretName = get(helmValuesFromOutputs(mod), 'secrets', 'keyvault', 'passwordSecretName');
        const created = keyVaultSecretNames(mod).map((s) => s.name);
        if (!created.includes(secretName as string)) {
          out.push(
            v(at(output.file, output.line), 'output "helm_values" secrets.keyvault.passwordSecretName', {
              expected: `the name of an azurerm_key_vault_secret Terraform creates: ${created.join(', ')}`,
              actual: JSON.stringify(secretName ?? '(unset)'),
              fix: 'output azurerm_key_vault_secret.db_password.name there',
            }),
          );
        }
        return out;
      },
    ),
    terraformCheck(
      'AKS enables the OIDC issuer, workload identity and the Key Vault secrets provider with rotation',
      (mod) =>
        resourcesOf(mod, 'azurerm_kubernetes_cluster').flatMap((r) => {
          const provider = firstBlock(r.body.key_vault_secrets_provider);
          const wrong = [
            r.body.oidc_issuer_enabled !== true && [
              'oidc_issuer_enabled',
              'no issuer URL for Entra ID to trust',
            ],
            r.body.workload_identity_enabled !== true && [
              'workload_identity_enabled',
              'no token exchange for pods: the CSI driver gets no Key Vault token and the volume never mounts',
            ],
            !provider && [
              'key_vault_secrets_provider',
              'no Secrets Store CSI driver: pods stay in ContainerCreating (driver not found)',
            ],
            provider &&
              provider.secret_rotation_enabled !== true && [
                'key_vault_secrets_provider.secret_rotation_enabled',
                'a rotated secret never reaches the mounted file',
              ],
          ].filter((x): x is [string, string] => Array.isArray(x));
          return wrong.map(([attribute, why]) =>
            v(at(r.file, r.lineOf(attribute.split('.')[0]!)), `${address(r)}.${attribute}`, {
              expected:
                attribute === 'key_vault_secrets_provider'
                  ? 'a key_vault_secrets_provider { secret_rotation_enabled = true } block'
                  : `${attribute} = true`,
              actual: `${shown(attribute.includes('.') ? provider?.secret_rotation_enabled : r.body[attribute])}: ${why}`,
              fix: `set ${attribute} = true in ${r.file}`,
            }),
          );
        }),
    ),
    terraformCheck(
      'AKS is hardened: Entra ID only (local accounts off, Azure RBAC), CNI overlay powered by Cilium (network policy enforced), autoscaled system pool',
      (mod) =>
        resourcesOf(mod, 'azurerm_kubernetes_cluster').flatMap((r) => {
          const rbac = firstBlock(r.body.azure_active_directory_role_based_access_control);
          const network = firstBlock(r.body.network_profile);
          const pool = firstBlock(r.body.default_node_pool);
          const rules: [boolean, string, string, string][] = [
            [
              r.body.local_account_disabled === true,
              'local_account_disabled',
              'true',
              'a static admin kubeconfig exists',
            ],
            [
              rbac?.azure_rbac_enabled === true,
              'azure_active_directory_role_based_access_control.azure_rbac_enabled',
              'true',
              'Kubernetes access is not governed by Azure role assignments',
            ],
            [
              network?.network_plugin === 'azure' && network?.network_plugin_mode === 'overlay',
              'network_profile',
              'network_plugin = "azure", network_plugin_mode = "overlay"',
              'not Azure CNI overlay',
            ],
            [
              network?.network_policy === 'cilium' && network?.network_data_plane === 'cilium',
              'network_profile.network_policy',
              'network_data_plane = "cilium" and network_policy = "cilium" (Azure CNI powered by Cilium)',
              network?.network_policy === undefined || network.network_policy === ''
                ? "no network policy engine: the chart's NetworkPolicies would be ignored"
                : `network_policy = ${JSON.stringify(network.network_policy)}, network_data_plane = ${JSON.stringify(network?.network_data_plane ?? '(unset: azure)')}: Azure Network Policy Manager ("azure") is retired on Linux (AKS docs: September 30, 2028; Cilium is the successor), and the provider requires the Cilium data plane for network_policy = "cilium"`,
            ],
            [
              pool?.auto_scaling_enabled === true &&
                pool?.min_count !== undefined &&
                pool?.max_count !== undefined,
              'default_node_pool.auto_scaling_enabled',
              'true with min_count and max_count',
              'the system pool cannot grow or shrink (in azurerm 4.x the argument is auto_scaling_enabled)',
            ],
          ];
          return rules
            .filter(([ok]) => !ok)
            .map(([, attribute, expected, why]) =>
              v(at(r.file, r.lineOf(attribute.split('.')[0]!)), `${address(r)}.${attribute}`, {
                expected,
                actual: why,
                fix: `set ${attribute} as expected in ${r.file}`,
              }),
            );
        }),
    ),
    terraformCheck(
      "the AKS kubelet identity has AcrPull on the registry the chart's images come from",
      (mod) => {
        const clusters = resourcesOf(mod, 'azurerm_kubernetes_cluster');
        const kubelet = kubeletPrincipals(mod);
        const pulls = resourcesOf(mod, 'azurerm_role_assignment').filter(
          (r) =>
            r.body.role_definition_name === 'AcrPull' &&
            kubelet.includes(wholeExpression(r.body.principal_id) ?? ''),
        );
        const registry = mod.outputs
          .map((o) => String(get(o.value, 'api', 'image', 'repository') ?? ''))
          .find((x) => x.includes('login_server'));
        const registryModule = /module\.(\w+)\.login_server/.exec(registry ?? '')?.[1];
        const scoped = pulls.filter(
          (r) => !registryModule || wholeExpression(r.body.scope) === `module.${registryModule}.id`,
        );
        if (clusters.length > 0 && scoped.length === 0) {
          return [
            v(`${TF_DIR}/main.aks.tf`, 'azurerm_role_assignment (AcrPull)', {
              expected: `role_definition_name = "AcrPull", principal_id = ${kubelet.join(' or ') || 'azurerm_kubernetes_cluster.<name>.kubelet_identity[0].object_id'}, scope = module.${registryModule ?? '<registry>'}.id`,
              actual:
                pulls.length > 0
                  ? 'AcrPull is scoped to another registry than the chart pulls from'
                  : 'no AcrPull for the kubelet: every pod sits in ImagePullBackOff (401 Unauthorized from the registry)',
              fix: 'restore azurerm_role_assignment.kubelet_acr_pull in main.aks.tf',
            }),
          ];
        }
        return [];
      },
    ),
    terraformCheck(
      'the AKS kubelet identity is pre-created and attachable: a user-assigned control plane with Managed Identity Operator on it, Network Contributor on the node subnet, granted before the cluster',
      // AKS fails these only at apply (azurerm's RequiredWith and the AKS API, neither of which the provider tier
      // runs): AKS docs "Overview of managed identities in AKS" (Managed Identity Operator on the kubelet identity
      // for the control plane; a user-assigned control plane when the roles must exist before the cluster) and
      // "CNI networking overview" (Network Contributor on the subnet of a VNet of our own).
      (mod) =>
        resourcesOf(mod, 'azurerm_kubernetes_cluster').flatMap((c) => {
          const kubeletBlock = firstBlock(c.body.kubelet_identity);
          if (!kubeletBlock) return [];
          const out: Violation[] = [];
          const controlBlock = firstBlock(c.body.identity);
          const ids = asArray(controlBlock?.identity_ids);
          const control = ids.length === 1 ? identityOf(ids[0], 'id') : undefined;
          if (controlBlock?.type !== 'UserAssigned' || !control) {
            out.push(
              v(at(c.file, c.lineOf('identity')), `${address(c)}.identity`, {
                expected:
                  'type = "UserAssigned", identity_ids = [azurerm_user_assigned_identity.<control plane>.id]',
                actual: `type = ${shown(controlBlock?.type)}, identity_ids = ${shown(controlBlock?.identity_ids)}: with kubelet_identity set, azurerm and AKS refuse any other control-plane identity`,
                fix: 'give the cluster its own user-assigned identity (azurerm_user_assigned_identity.aks)',
              }),
            );
          }
          const kubelet = identityOf(kubeletBlock.user_assigned_identity_id, 'id');
          const mismatched = (
            [
              ['client_id', 'client_id'],
              ['object_id', 'principal_id'],
            ] as const
          ).filter(
            ([argument, attribute]) => !kubelet || identityOf(kubeletBlock[argument], attribute) !== kubelet,
          );
          if (!kubelet || mismatched.length > 0) {
            out.push(
              v(at(c.file, c.lineOf('kubelet_identity')), `${address(c)}.kubelet_identity`, {
                expected: `user_assigned_identity_id = <identity>.id, client_id = <identity>.client_id, object_id = <identity>.principal_id, one azurerm_user_assigned_identity`,
                actual: `user_assigned_identity_id = ${shown(kubeletBlock.user_assigned_identity_id)}, client_id = ${shown(kubeletBlock.client_id)}, object_id = ${shown(kubeletBlock.object_id)}: the nodes would run as one identity while roles go to another`,
                fix: 'take all three from the same azurerm_user_assigned_identity (azurerm_user_assigned_identity.kubelet)',
              }),
            );
          }
          if (!control) return out;
          const grants = resourcesOf(mod, 'azurerm_role_assignment').filter(
            (r) => wholeExpression(r.body.principal_id) === `${control}.principal_id`,
          );
          const subnet = wholeExpression(firstBlock(c.body.default_node_pool)?.vnet_subnet_id);
          const required: [string, string | undefined, string][] = [
            [
              'Managed Identity Operator',
              kubelet && `${kubelet}.id`,
              'cluster creation fails: the control plane may not assign the kubelet identity to the nodes',
            ],
            ...(subnet
              ? ([
                  [
                    'Network Contributor',
                    subnet,
                    'the control plane cannot join or manage the node subnet of our VNet (load balancers, node NICs)',
                  ],
                ] as [string, string, string][])
              : []),
          ];
          const dependsOn = JSON.stringify(c.body.depends_on ?? '');
          for (const [role, scope, why] of required) {
            const grant = grants.find(
              (r) => r.body.role_definition_name === role && wholeExpression(r.body.scope) === scope,
            );
            if (!grant) {
              out.push(
                v(`${c.file}`, `azurerm_role_assignment (${role} for ${control})`, {
                  expected: `role_definition_name = "${role}", principal_id = ${control}.principal_id, scope = ${scope ?? '<kubelet identity>.id'}`,
                  actual: `none: ${why}`,
                  fix: `grant ${control} ${role} on ${scope ?? 'the kubelet identity'} and list it in the cluster's depends_on`,
                }),
              );
            } else if (!new RegExp(`\\b${address(grant).replace('.', '\\.')}\\b`).test(dependsOn)) {
              out.push(
                v(at(c.file, c.lineOf('depends_on')), `${address(c)}.depends_on`, {
                  expected: `depends_on lists ${address(grant)}`,
                  actual: `${shown(c.body.depends_on)}: nothing orders the grant before the cluster, so creation can race it and fail`,
                  fix: `add ${address(grant)} to depends_on in ${address(c)}`,
                }),
              );
            }
          }
          return out;
        }),
    ),
    terraformCheck(
      'the API identity is Key Vault Secrets User on the vault only, and federates with the cluster OIDC issuer',
      (mod) => {
        const out: Violation[] = [];
        const users = resourcesOf(mod, 'azurerm_role_assignment').filter(
          (r) => r.body.role_definition_name === 'Key Vault Secrets User',
        );
        if (users.length === 0) {
          out.push(
            v(`${TF_DIR}/main.identity.tf`, 'azurerm_role_assignment (Key Vault Secrets User)', {
              expected: 'Key Vault Secrets User for the API identity, scope = module.key_vault.id',
              actual:
                'none: the CSI driver gets 403 Forbidden from Key Vault and the pod stays in ContainerCreating',
              fix: 'restore azurerm_role_assignment.api_secrets_user',
            }),
          );
        }
        for (const r of users.filter(
          (x) => !/^module\.\w+\.id$|^azurerm_key_vault\.\w+\.id$/.test(wholeExpression(x.body.scope) ?? ''),
        )) {
          out.push(
            v(at(r.file, r.lineOf('scope')), address(r), {
              expected: 'scope = module.key_vault.id (the vault itself)',
              actual: `scope = ${String(r.body.scope)}: the identity could read every vault in that scope`,
              fix: 'scope the role to the one vault the app reads',
            }),
          );
        }
        for (const r of resourcesOf(mod, 'azurerm_federated_identity_credential')) {
          const issuer = wholeExpression(r.body.issuer) ?? '';
          const audience = asArray(r.body.audience);
          if (
            !/^azurerm_kubernetes_cluster\.\w+\.oidc_issuer_url$/.test(issuer) ||
            !audience.includes('api://AzureADTokenExchange')
          ) {
            out.push(
              v(at(r.file, r.lineOf('issuer')), address(r), {
                expected:
                  'issuer = azurerm_kubernetes_cluster.<name>.oidc_issuer_url and audience = ["api://AzureADTokenExchange"]',
                actual: `issuer = ${String(r.body.issuer)}, audience = ${JSON.stringify(r.body.audience)}`,
                fix: 'take the issuer from the cluster, never a copied URL (it changes when the cluster is recreated)',
              }),
            );
          }
        }
        return out;
      },
    ),
    terraformCheck(
      'the pipeline identity pushes to the registry the AKS kubelet pulls from (AcrPush and AcrPull on one registry)',
      (mod) => {
        const kubelet = kubeletPrincipals(mod);
        const pullScopes = resourcesOf(mod, 'azurerm_role_assignment')
          .filter(
            (r) =>
              r.body.role_definition_name === 'AcrPull' &&
              kubelet.includes(wholeExpression(r.body.principal_id) ?? ''),
          )
          .map((r) => wholeExpression(r.body.scope));
        const pushes = deployAssignments(mod).filter((r) => r.body.role_definition_name === 'AcrPush');
        const file = `${TF_DIR}/main.deploy.tf`;
        if (pushes.length === 0) {
          return [
            v(file, 'azurerm_role_assignment (AcrPush for var.deploy_principal_id)', {
              expected: `AcrPush for ${DEPLOY_PRINCIPAL} on the kubelet's registry (${pullScopes.join(', ') || 'module.container_registry.id'})`,
              actual:
                "none: release.yml could push only to day 5's registry, where this cluster's kubelet has no AcrPull (ImagePullBackOff, 401)",
              fix: 'restore azurerm_role_assignment.deploy_acr_push in main.deploy.tf',
            }),
          ];
        }
        return pushes
          .filter((r) => !pullScopes.includes(wholeExpression(r.body.scope)))
          .map((r) =>
            v(at(r.file, r.lineOf('scope')), address(r), {
              expected: `scope = ${pullScopes.join(' or ') || 'the registry the kubelet has AcrPull on'} (the kubelet's AcrPull scope)`,
              actual: `scope = ${String(r.body.scope)}: the pipeline would push images this cluster cannot pull (ImagePullBackOff, 401)`,
              fix: 'scope AcrPush and AcrPull to the same registry (module.container_registry.id)',
            }),
          );
      },
    ),
    terraformCheck(
      'the pipeline identity can get credentials and run helm upgrade: Cluster User Role on the cluster, RBAC Writer and a custom-resource role in the app namespace',
      (mod) => {
        const assignments = deployAssignments(mod);
        const clusters = resourcesOf(mod, 'azurerm_kubernetes_cluster').map((c) => `${address(c)}.id`);
        const namespaceScope = (r: TfResource) => {
          const scope = expandLocal(mod, wholeExpression(r.body.scope)) ?? String(r.body.scope ?? '');
          return clusters.some((id) => scope === `\${${id}}/namespaces/\${var.kubernetes_namespace}`);
        };
        const clusterScope = (r: TfResource) => clusters.includes(wholeExpression(r.body.scope) ?? '');
        const customRoles = resourcesOf(mod, 'azurerm_role_definition').filter((d) =>
          asArray(firstBlock(d.body.permissions)?.data_actions).includes(
            'Microsoft.ContainerService/managedClusters/customresources/write',
          ),
        );
        const usesCustomRole = (r: TfResource) =>
          customRoles.some((d) =>
            new RegExp(`^${address(d).replace('.', '\\.')}(\\[0\\])?\\.role_definition_resource_id$`).test(
              wholeExpression(r.body.role_definition_id) ?? '',
            ),
          );
        const wanted: [string, (r: TfResource) => boolean, string][] = [
          [
            'role_definition_name = "Azure Kubernetes Service Cluster User Role", scope = the cluster id',
            (r) =>
              r.body.role_definition_name === 'Azure Kubernetes Service Cluster User Role' && clusterScope(r),
            'az aks get-credentials fails with AuthorizationFailed (no listClusterUserCredential/action)',
          ],
          [
            'role_definition_name = "Azure Kubernetes Service RBAC Writer", scope = "${<cluster>.id}/namespaces/${var.kubernetes_namespace}"',
            (r) =>
              r.body.role_definition_name === 'Azure Kubernetes Service RBAC Writer' && namespaceScope(r),
            'helm upgrade is Forbidden on Deployments, Services, Secrets (its release records) in the namespace',
          ],
          [
            'role_definition_id = an azurerm_role_definition with Microsoft.ContainerService/managedClusters/customresources/write, scope = the namespace',
            (r) => usesCustomRole(r) && namespaceScope(r),
            'helm upgrade is Forbidden on the SecretProviderClass: it is a custom resource (a CRD), which no built-in AKS RBAC role lists',
          ],
        ];
        const found = assignments.map(
          (r) =>
            `${address(r)} (${String(r.body.role_definition_name ?? r.body.role_definition_id)} on ${String(r.body.scope)})`,
        );
        return wanted
          .filter(([, matches]) => !assignments.some(matches))
          .map(([expected, , why]) =>
            v(`${TF_DIR}/main.deploy.tf`, `azurerm_role_assignment for ${DEPLOY_PRINCIPAL}`, {
              expected,
              actual: `${why}; assignments for the pipeline: ${found.join(', ') || 'none'}`,
              fix: 'restore the role assignments of main.deploy.tf (day 6 README, Give the app its roles)',
            }),
          );
      },
    ),
    terraformCheck('Key Vault secret values come from random_password, never from a literal', (mod) =>
      resourcesOf(mod, 'azurerm_key_vault_secret')
        .filter(
          (r) =>
            !/^random_password\.\w+\.result$/.test(wholeExpression(r.body.value ?? r.body.value_wo) ?? ''),
        )
        .map((r) =>
          v(at(r.file, r.lineOf('value')), `${address(r)}.value`, {
            expected: 'value = random_password.<name>.result',
            actual:
              typeof r.body.value === 'string' && !r.body.value.includes('${')
                ? 'a literal: the password is in git'
                : `value = ${String(r.body.value)}`,
            fix: 'generate it with random_password and reference .result (rotate with terraform apply -replace=random_password.db)',
          }),
        ),
    ),
  ];
}

/** Every file the checks read, for fixture copies. */
export const fixturePaths = [
  DAY,
  'day3-helm/charts/taskboard',
  'day5-terraform/modules',
  'day5-terraform/bootstrap',
];
