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
    type = "SystemAssigned"
  }

  oms_agent {
    log_analytics_workspace_id      = module.log_analytics.id
    msi_auth_for_monitoring_enabled = true
  }

  lifecycle {
    # The autoscaler owns the node count.
    ignore_changes = [default_node_pool[0].node_count]
  }
}

# The kubelet pulls images with its own identity; without AcrPull pods sit in ImagePullBackOff (401).
resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                            = module.container_registry.id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}
