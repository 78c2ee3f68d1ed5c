// Proves each day 7 cross-check guards something: every broken variant below, made in a temp copy of the
// repository, must make the named check fail with a message that names both sides of the mismatch.
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
import { CHART } from '../../../day3-helm/verify/helm';
import { OVERLAY, TF_DIR, crossChecks, fixturePaths } from '../../../day7-keyvault-aks/verify/checks';

const HELPERS = `${CHART}/templates/_helpers.tpl`;
const DEPLOY_TF = `${TF_DIR}/main.deploy.tf`;

async function failureOf(check: Check, root: string): Promise<string> {
  try {
    await assertCheck(check, root);
  } catch (error) {
    if (error instanceof CheckFailedError) return error.message;
    throw error;
  }
  throw new Error(`"${check.title}" passed on the broken copy: it cannot catch this mistake`);
}

localRuntimeTier('day 7 checks catch each broken variant', ['helm'], repoRoot, (tools) => {
  const checks = crossChecks(() => tools.helm);
  const check = (fragment: string): Check => {
    const found = checks.find((c) => c.title.includes(fragment));
    if (!found) throw new Error(`no day 7 check titled with "${fragment}"`);
    return found;
  };

  const variants: {
    name: string;
    check: string;
    file: string;
    edit: (text: string) => string;
    expect: string[];
  }[] = [
    {
      name: 'the ServiceAccount renamed in the chart only (federated subject mismatch)',
      check: 'ServiceAccount whose subject Terraform federates',
      file: OVERLAY,
      edit: (t) => replaceOrThrow(t, 'name: taskboard-api', 'name: taskboard-backend'),
      expect: [
        'system:serviceaccount:taskboard:taskboard-backend',
        'system:serviceaccount:taskboard:taskboard-api',
        'AADSTS700213',
      ],
    },
    {
      // Issue 19: this was blamed on the chart's ServiceAccount.
      name: 'the Terraform namespace changed (the chart is still installed into taskboard)',
      check: 'ServiceAccount whose subject Terraform federates',
      file: `${TF_DIR}/variables.tf`,
      edit: (t) =>
        replaceOrThrow(
          t,
          /(variable "kubernetes_namespace" \{[^}]*?default\s*= )"taskboard"/,
          '$1"taskboard-prod"',
        ),
      expect: [
        `where:    ${TF_DIR}/variables.tf:`,
        '(variable "kubernetes_namespace" default)',
        'system:serviceaccount:taskboard-prod:taskboard-api',
        'set the default of kubernetes_namespace back to "taskboard"',
      ],
    },
    {
      // Issue 19: verify read a hand-kept example of the output, so this was blamed on the example.
      name: 'output "helm_values" renames secrets.keyvault.passwordSecretName in outputs.tf',
      check: 'the chart values Terraform knows flow from its helm_values output',
      file: `${TF_DIR}/outputs.tf`,
      edit: (t) => replaceOrThrow(t, /passwordSecretName(\s*)=/, 'secretName$1='),
      expect: [
        `where:    ${TF_DIR}/outputs.tf:`,
        'output "helm_values" secrets.keyvault.passwordSecretName',
        'found:    "(unset)"',
      ],
    },
    {
      name: 'a typo in a SecretProviderClass object name',
      check: 'every SecretProviderClass object is a Key Vault secret',
      file: HELPERS,
      edit: (t) => replaceOrThrow(t, 'objectName: {{ $kv.passwordSecretName }}', 'objectName: db-pasword'),
      expect: [
        'objectName "db-pasword"',
        'a secret Terraform writes to the vault: db-password',
        'ContainerCreating',
      ],
    },
    {
      name: 'a mount path that does not match PGPASSWORD_FILE',
      check: 'PGPASSWORD_FILE is the CSI mount path',
      file: HELPERS,
      edit: (t) =>
        replaceOrThrow(t, 'mountPath: {{ .Values.secrets.keyvault.mountPath }}', 'mountPath: /mnt/secrets'),
      expect: [
        'container "api" PGPASSWORD_FILE',
        '(/mnt/secrets)',
        '/mnt/secrets-store/db-password',
        'ENOENT',
      ],
    },
    {
      name: 'AcrPull removed from the kubelet identity',
      check: 'kubelet identity has AcrPull',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) =>
        replaceOrThrow(t, /resource "azurerm_role_assignment" "kubelet_acr_pull" \{[^]*?\n\}\n/, ''),
      expect: ['no AcrPull for the kubelet', 'ImagePullBackOff', 'kubelet_identity[0].object_id'],
    },
    {
      name: 'Managed Identity Operator on the kubelet identity removed',
      check: 'kubelet identity is pre-created and attachable',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) =>
        replaceOrThrow(
          t,
          /resource "azurerm_role_assignment" "aks_kubelet_identity_operator" \{[^]*?\n\}\n/,
          '',
        ),
      expect: [
        'Managed Identity Operator',
        'azurerm_user_assigned_identity.aks.principal_id',
        'scope = azurerm_user_assigned_identity.kubelet.id',
        'cluster creation fails',
      ],
    },
    {
      name: 'the control plane back to SystemAssigned while kubelet_identity is set',
      check: 'kubelet identity is pre-created and attachable',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) =>
        replaceOrThrow(
          t,
          /type {9}= "UserAssigned"\n\s*identity_ids = \[azurerm_user_assigned_identity\.aks\.id\]/,
          'type = "SystemAssigned"',
        ),
      expect: ['main.aks.tf:', 'type = "UserAssigned"', 'type = "SystemAssigned"', 'refuse'],
    },
    {
      name: "kubelet_identity's object_id taken from the control-plane identity",
      check: 'kubelet identity is pre-created and attachable',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) =>
        replaceOrThrow(
          t,
          '= azurerm_user_assigned_identity.kubelet.principal_id\n    user_assigned_identity_id',
          '= azurerm_user_assigned_identity.aks.principal_id\n    user_assigned_identity_id',
        ),
      expect: [
        'main.aks.tf:',
        'object_id = "${azurerm_user_assigned_identity.aks.principal_id}"',
        'one azurerm_user_assigned_identity',
      ],
    },
    {
      name: 'the grants missing from the cluster depends_on',
      check: 'kubelet identity is pre-created and attachable',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) => replaceOrThrow(t, /\n {2}depends_on = \[[^\]]*\]\n/, '\n'),
      expect: [
        'depends_on lists azurerm_role_assignment.aks_kubelet_identity_operator',
        'depends_on lists azurerm_role_assignment.aks_subnet_network_contributor',
        'race',
      ],
    },
    {
      name: 'network_policy = "azure" (Azure Network Policy Manager, retired on Linux)',
      check: 'AKS is hardened',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) => replaceOrThrow(t, /^(\s*)network_policy(\s*)= "cilium"/m, '$1network_policy$2= "azure"'),
      expect: [
        'network_policy = "azure"',
        'retired on Linux',
        'network_data_plane = "cilium"',
        'main.aks.tf:',
      ],
    },
    {
      name: "the pipeline's AcrPush on another registry than the kubelet pulls from",
      check: 'the pipeline identity pushes to the registry the AKS kubelet pulls from',
      file: DEPLOY_TF,
      edit: (t) =>
        replaceOrThrow(
          t,
          /scope(\s*)= module\.container_registry\.id(\n\s*role_definition_name\s*= "AcrPush")/,
          'scope$1= var.day5_registry_id$2',
        ),
      expect: [
        'scope = ${var.day5_registry_id}',
        'cannot pull',
        'module.container_registry.id',
        'main.deploy.tf:',
      ],
    },
    {
      name: "the pipeline's AcrPush removed",
      check: 'the pipeline identity pushes to the registry the AKS kubelet pulls from',
      file: DEPLOY_TF,
      edit: (t) =>
        replaceOrThrow(t, /resource "azurerm_role_assignment" "deploy_acr_push" \{[^]*?\n\}\n/, ''),
      expect: ['AcrPush for var.deploy_principal_id', "day 5's registry", 'ImagePullBackOff'],
    },
    {
      name: 'the custom-resource role assignment removed (SecretProviderClass is a CRD)',
      check: 'the pipeline identity can get credentials and run helm upgrade',
      file: DEPLOY_TF,
      edit: (t) =>
        replaceOrThrow(t, /resource "azurerm_role_assignment" "deploy_custom_resources" \{[^]*?\n\}\n/, ''),
      expect: ['customresources/write', 'SecretProviderClass', 'custom resource (a CRD)'],
    },
    {
      name: 'RBAC Writer on the whole cluster instead of the app namespace',
      check: 'the pipeline identity can get credentials and run helm upgrade',
      file: DEPLOY_TF,
      edit: (t) =>
        replaceOrThrow(
          t,
          /scope(\s*)= local\.deploy_namespace_scope(\n\s*role_definition_name\s*= "Azure Kubernetes Service RBAC Writer")/,
          'scope$1= azurerm_kubernetes_cluster.this.id$2',
        ),
      expect: [
        '/namespaces/${var.kubernetes_namespace}',
        'Azure Kubernetes Service RBAC Writer on ${azurerm_kubernetes_cluster.this.id}',
      ],
    },
    {
      name: 'a role name that is not a built-in role ("Azure Kubernetes Service Cluster User")',
      check: 'the pipeline identity can get credentials and run helm upgrade',
      file: DEPLOY_TF,
      edit: (t) =>
        replaceOrThrow(
          t,
          '"Azure Kubernetes Service Cluster User Role"',
          '"Azure Kubernetes Service Cluster User"',
        ),
      expect: ['Azure Kubernetes Service Cluster User Role', 'AuthorizationFailed'],
    },
    {
      name: 'workload_identity_enabled = false',
      check: 'AKS enables the OIDC issuer, workload identity',
      file: `${TF_DIR}/main.aks.tf`,
      edit: (t) =>
        replaceOrThrow(t, /workload_identity_enabled(\s*)= true/, 'workload_identity_enabled$1= false'),
      expect: [
        'azurerm_kubernetes_cluster.this.workload_identity_enabled',
        'false: no token exchange for pods',
        'main.aks.tf:',
      ],
    },
    {
      name: 'the password synced into a Kubernetes Secret (secretObjects) in keyvault mode',
      check: 'no rendered Secret holds the database password',
      file: HELPERS,
      edit: (t) =>
        replaceOrThrow(
          t,
          '        objectType: secret\n{{- end }}',
          '        objectType: secret\nsecretObjects:\n  - secretName: db\n    type: Opaque\n    data:\n      - objectName: {{ $kv.passwordSecretName }}\n        key: password\n{{- end }}',
        ),
      expect: ['spec.secretObjects', 'syncs the password into a Kubernetes Secret'],
    },
    {
      name: 'the password rendered into a Kubernetes Secret by the chart in keyvault mode',
      check: 'no rendered Secret holds the database password',
      file: `${CHART}/templates/secret.yaml`,
      edit: (t) => replaceOrThrow(t, '(eq .Values.secrets.mode "kubernetes") ', ''),
      expect: [
        'Secret/taskboard-db',
        'keys password',
        'render secret.yaml only when secrets.mode=kubernetes',
      ],
    },
    {
      name: 'Key Vault Secrets User removed from the API identity',
      check: 'Key Vault Secrets User on the vault only',
      file: `${TF_DIR}/main.identity.tf`,
      edit: (t) => replaceOrThrow(t, '"Key Vault Secrets User"', '"Reader"'),
      expect: ['403 Forbidden from Key Vault'],
    },
    {
      name: 'a literal Key Vault secret value',
      check: 'Key Vault secret values come from random_password',
      file: `${TF_DIR}/main.database.tf`,
      edit: (t) =>
        replaceOrThrow(t, /^(\s*)value(\s*)= random_password\.db\.result/m, '$1value$2= "Passw0rd-in-git"'),
      expect: ['azurerm_key_vault_secret.db_password.value', 'a literal: the password is in git'],
    },
  ];

  let baseline: string;
  beforeAll(() => {
    baseline = copyToTemp(repoRoot, fixturePaths);
  });
  afterAll(() => removeTemp(baseline));

  it.each([...new Set(variants.map((x) => x.check))])(
    '"%s" passes on the unbroken copy',
    async (fragment) => {
      await expect(assertCheck(check(fragment), baseline)).resolves.toBeUndefined();
    },
  );

  it.each(variants)('$name fails "$check" with a precise message', async (variant) => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      mutateFile(root, variant.file, variant.edit);
      const message = await failureOf(check(variant.check), root);
      for (const fragment of variant.expect) expect(message).toContain(fragment);
    } finally {
      removeTemp(root);
    }
  });
});
