# Day 6's pipeline as the deployer of this environment (ADR 0011): release.yml pushes the images to this registry
# and deploy.yml installs the chart into kubernetes_namespace. Nothing is granted until deploy_principal_id is set.
locals {
  deploy_enabled = var.deploy_principal_id != ""
  # Azure RBAC for Kubernetes authorization reads a role assignment at <cluster id>/namespaces/<name> as a
  # Kubernetes namespace scope: the deployer can write in the app's namespace and nowhere else.
  deploy_namespace_scope = "${azurerm_kubernetes_cluster.this.id}/namespaces/${var.kubernetes_namespace}"
}

# The registry the kubelet pulls from (kubelet_acr_pull in main.aks.tf), so every pushed tag is pullable.
resource "azurerm_role_assignment" "deploy_acr_push" {
  count = local.deploy_enabled ? 1 : 0

  scope                = module.container_registry.id
  role_definition_name = "AcrPush"
  principal_id         = var.deploy_principal_id
  principal_type       = "ServicePrincipal"
}

# az aks get-credentials calls listClusterUserCredential/action, which only this role (or an admin role) allows.
resource "azurerm_role_assignment" "deploy_cluster_user" {
  count = local.deploy_enabled ? 1 : 0

  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "Azure Kubernetes Service Cluster User Role"
  principal_id         = var.deploy_principal_id
  principal_type       = "ServicePrincipal"
}

# Deployments, Jobs, Pods, Services, ConfigMaps, ServiceAccounts, NetworkPolicies, PodDisruptionBudgets and
# Secrets (Helm keeps its release records in Secrets), in the app's namespace; no Roles or RoleBindings.
resource "azurerm_role_assignment" "deploy_namespace_writer" {
  count = local.deploy_enabled ? 1 : 0

  scope                = local.deploy_namespace_scope
  role_definition_name = "Azure Kubernetes Service RBAC Writer"
  principal_id         = var.deploy_principal_id
  principal_type       = "ServicePrincipal"
}

# The chart also renders SecretProviderClasses. That kind comes from a CRD (secrets-store.csi.x-k8s.io), and the
# built-in roles list Kubernetes API groups one by one; none lists a custom resource, so RBAC Writer alone gets a
# 403 on it. AKS authorizes every custom resource through the customresources data actions
# (learn.microsoft.com/azure/aks/entra-id-authorization), which this role grants, assigned in the namespace only.
resource "azurerm_role_definition" "deploy_custom_resources" {
  count = local.deploy_enabled ? 1 : 0

  name        = "AKS custom resource writer (${azurerm_resource_group.this.name})"
  scope       = azurerm_resource_group.this.id
  description = "Read, write and delete custom resources (the chart's SecretProviderClasses) where assigned."

  permissions {
    data_actions = [
      "Microsoft.ContainerService/managedClusters/customresources/read",
      "Microsoft.ContainerService/managedClusters/customresources/write",
      "Microsoft.ContainerService/managedClusters/customresources/delete",
    ]
  }

  assignable_scopes = [azurerm_resource_group.this.id]
}

resource "azurerm_role_assignment" "deploy_custom_resources" {
  count = local.deploy_enabled ? 1 : 0

  scope              = local.deploy_namespace_scope
  role_definition_id = azurerm_role_definition.deploy_custom_resources[0].role_definition_resource_id
  principal_id       = var.deploy_principal_id
  principal_type     = "ServicePrincipal"
}
