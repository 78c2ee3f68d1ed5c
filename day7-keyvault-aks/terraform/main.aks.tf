# The cluster's two Azure identities, both created here so that their roles exist before the cluster does (AKS
# docs, "Overview of managed identities in AKS" and "Use a pre-created kubelet managed identity"):
# - the control plane's (`identity`), which manages the cluster's Azure resources (load balancer, disks) and needs
#   Network Contributor on the node subnet, since the VNet is ours ("CNI networking overview", BYO VNet);
# - the kubelet's (`kubelet_identity`), which pulls images. A pre-created kubelet identity must be user-assigned, and
#   the control plane needs Managed Identity Operator on it to attach it to the nodes. AcrPull is granted to its
#   principal before the first node boots, not after the cluster exists.
# azurerm 4.73.0: kubelet_identity takes client_id, object_id and user_assigned_identity_id together, with
# identity.type = "UserAssigned" and identity_ids set (website/docs/r/kubernetes_cluster.html.markdown and the
# RequiredWith of each in internal/services/containers/kubernetes_cluster_resource.go).
resource "azurerm_user_assigned_identity" "aks" {
  name                = "id-${local.regional}-aks"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

resource "azurerm_user_assigned_identity" "kubelet" {
  name                = "id-${local.regional}-kubelet"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

# On the kubelet identity only, not on the resource group: the control plane may assign this one identity to nodes.
resource "azurerm_role_assignment" "aks_kubelet_identity_operator" {
  scope                = azurerm_user_assigned_identity.kubelet.id
  role_definition_name = "Managed Identity Operator"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "aks_subnet_network_contributor" {
  scope                = azurerm_subnet.aks_nodes.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = "aks-${local.regional}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  dns_prefix          = "aks-${local.regional}"
  kubernetes_version  = var.kubernetes_version
  sku_tier            = "Free"
  tags                = local.tags

  # kubernetes_version names a minor; the patch channel keeps the cluster on that minor's newest patch, as AKS
  # releases them (checkov CKV_AZURE_171). Minor upgrades stay a reviewed change of kubernetes_version.
  automatic_upgrade_channel = "patch"

  # Entra ID only: no static admin kubeconfig exists to leak. Access is Azure RBAC on the cluster resource.
  local_account_disabled            = true
  role_based_access_control_enabled = true
  azure_active_directory_role_based_access_control {
    tenant_id              = data.azurerm_client_config.current.tenant_id
    admin_group_object_ids = var.aks_admin_group_object_ids
    azure_rbac_enabled     = true
  }

  # The OIDC issuer signs service account tokens that Entra ID trusts through the federated credential;
  # workload identity installs the webhook that projects those tokens into labelled pods.
  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  # The Secrets Store CSI driver with the Azure Key Vault provider, re-reading mounted secrets on an interval.
  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = var.secret_rotation_interval
  }

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_node_vm_size
    vnet_subnet_id               = azurerm_subnet.aks_nodes.id
    auto_scaling_enabled         = true
    min_count                    = var.system_node_min_count
    max_count                    = var.system_node_max_count
    only_critical_addons_enabled = false
    temporary_name_for_rotation  = "systemtmp"
    tags                         = local.tags

    upgrade_settings {
      max_surge = "1"
    }
  }

  # Azure CNI powered by Cilium, in overlay mode: nodes take VNet addresses, pods an overlay range, so the subnet
  # stays small. Cilium enforces the chart's NetworkPolicies (without an engine they would be silently ignored);
  # it replaces Azure Network Policy Manager ("azure"), which Microsoft is retiring on Linux. The provider
  # requires network_data_plane = "cilium" with network_policy = "cilium", and overlay (or a pod subnet) with it.
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    pod_cidr            = "192.168.0.0/16"
    service_cidr        = "172.16.0.0/16"
    dns_service_ip      = "172.16.0.10"
    load_balancer_sku   = "standard"
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  kubelet_identity {
    client_id                 = azurerm_user_assigned_identity.kubelet.client_id
    object_id                 = azurerm_user_assigned_identity.kubelet.principal_id
    user_assigned_identity_id = azurerm_user_assigned_identity.kubelet.id
  }

  oms_agent {
    log_analytics_workspace_id      = module.log_analytics.id
    msi_auth_for_monitoring_enabled = true
  }

  lifecycle {
    # The autoscaler owns the node count.
    ignore_changes = [default_node_pool[0].node_count]
  }

  # Terraform sees no reference from the cluster to these roles; without them creation fails (the control plane
  # cannot attach the kubelet identity or join the subnet).
  depends_on = [
    azurerm_role_assignment.aks_kubelet_identity_operator,
    azurerm_role_assignment.aks_subnet_network_contributor,
  ]
}

# The kubelet pulls images with its own identity; without AcrPull pods sit in ImagePullBackOff (401).
resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                            = module.container_registry.id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_user_assigned_identity.kubelet.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}
