mock_provider "azurerm" {
  mock_data "azurerm_client_config" {
    defaults = {
      tenant_id = "00000000-0000-0000-0000-000000000001"
      object_id = "00000000-0000-0000-0000-000000000002"
    }
  }
  # Mocked ids must look like the real ones, or the day 5 modules' validations reject them.
  mock_resource "azurerm_log_analytics_workspace" {
    defaults = {
      id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-tbaks-dev-weu/providers/Microsoft.OperationalInsights/workspaces/log-tbaks-dev-weu"
    }
  }
  mock_resource "azurerm_subnet" {
    defaults = {
      id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-tbaks-dev-weu/providers/Microsoft.Network/virtualNetworks/vnet-tbaks-dev-weu/subnets/snet-aks-nodes"
    }
  }
}

mock_provider "random" {}

# Mocked values repeat across resources (every mocked principal_id is the same string), so the two cluster
# identities get distinct ones: otherwise an assert could not tell the kubelet's principal from the control plane's.
override_resource {
  target = azurerm_user_assigned_identity.aks
  values = {
    id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-tbaks-dev-weu/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-tbaks-dev-weu-aks"
    client_id    = "00000000-0000-0000-0000-000000000041"
    principal_id = "00000000-0000-0000-0000-000000000042"
  }
}

override_resource {
  target = azurerm_user_assigned_identity.kubelet
  values = {
    id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-tbaks-dev-weu/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-tbaks-dev-weu-kubelet"
    client_id    = "00000000-0000-0000-0000-000000000051"
    principal_id = "00000000-0000-0000-0000-000000000052"
  }
}

variables {
  unique_suffix               = "a1b2"
  key_vault_allowed_ip_ranges = ["203.0.113.7"]
  aks_admin_group_object_ids  = ["00000000-0000-0000-0000-000000000010"]
}

run "enables_workload_identity_and_the_secrets_provider" {
  command = plan

  assert {
    condition     = azurerm_kubernetes_cluster.this.oidc_issuer_enabled && azurerm_kubernetes_cluster.this.workload_identity_enabled
    error_message = "Workload identity needs both oidc_issuer_enabled and workload_identity_enabled."
  }
  assert {
    condition     = azurerm_kubernetes_cluster.this.key_vault_secrets_provider[0].secret_rotation_enabled
    error_message = "The secrets provider must rotate mounted secrets."
  }
  assert {
    condition     = azurerm_kubernetes_cluster.this.local_account_disabled
    error_message = "Local accounts must be disabled (Entra ID only)."
  }
}

run "federates_exactly_the_chart_service_accounts" {
  command = plan

  assert {
    condition     = azurerm_federated_identity_credential.api["taskboard-api"].subject == "system:serviceaccount:taskboard:taskboard-api"
    error_message = "The API's federated subject must be system:serviceaccount:<namespace>:<serviceaccount>."
  }
  assert {
    condition     = length(azurerm_federated_identity_credential.api) == 2
    error_message = "The API and the migrate hook each need a federated credential."
  }
}

run "grants_least_privilege_roles" {
  command = plan

  assert {
    condition     = azurerm_role_assignment.api_secrets_user.role_definition_name == "Key Vault Secrets User"
    error_message = "The API identity reads secrets only (Key Vault Secrets User)."
  }
  assert {
    condition     = azurerm_role_assignment.kubelet_acr_pull.role_definition_name == "AcrPull"
    error_message = "The kubelet identity needs AcrPull on the registry."
  }
  assert {
    condition     = azurerm_role_assignment.kubelet_acr_pull.principal_id == azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
    error_message = "AcrPull must go to the principal the cluster's kubelet_identity block names."
  }
}

run "attaches_a_precreated_kubelet_identity" {
  command = plan

  assert {
    condition     = azurerm_kubernetes_cluster.this.identity[0].type == "UserAssigned" && one(azurerm_kubernetes_cluster.this.identity[0].identity_ids) == azurerm_user_assigned_identity.aks.id
    error_message = "A pre-created kubelet identity needs a user-assigned control-plane identity (identity.type = \"UserAssigned\")."
  }
  assert {
    condition = (
      azurerm_kubernetes_cluster.this.kubelet_identity[0].user_assigned_identity_id == azurerm_user_assigned_identity.kubelet.id &&
      azurerm_kubernetes_cluster.this.kubelet_identity[0].client_id == azurerm_user_assigned_identity.kubelet.client_id &&
      azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id == azurerm_user_assigned_identity.kubelet.principal_id
    )
    error_message = "kubelet_identity's client_id, object_id and user_assigned_identity_id must all come from azurerm_user_assigned_identity.kubelet."
  }
  assert {
    condition     = azurerm_role_assignment.aks_kubelet_identity_operator.role_definition_name == "Managed Identity Operator" && azurerm_role_assignment.aks_kubelet_identity_operator.principal_id == azurerm_user_assigned_identity.aks.principal_id && azurerm_role_assignment.aks_kubelet_identity_operator.scope == azurerm_user_assigned_identity.kubelet.id
    error_message = "The control plane needs Managed Identity Operator on the kubelet identity, or cluster creation fails."
  }
  assert {
    condition     = azurerm_role_assignment.aks_subnet_network_contributor.role_definition_name == "Network Contributor" && azurerm_role_assignment.aks_subnet_network_contributor.scope == azurerm_subnet.aks_nodes.id
    error_message = "In a VNet of our own the control plane needs Network Contributor on the node subnet."
  }
}

run "grants_the_pipeline_nothing_by_default" {
  command = plan

  assert {
    condition     = length(azurerm_role_assignment.deploy_cluster_user) == 0 && length(azurerm_role_definition.deploy_custom_resources) == 0
    error_message = "Without deploy_principal_id no pipeline role may exist."
  }
}

run "lets_the_pipeline_push_and_deploy_when_its_principal_is_set" {
  command = plan
  variables {
    deploy_principal_id = "00000000-0000-0000-0000-000000000030"
  }

  assert {
    condition     = azurerm_role_assignment.deploy_acr_push[0].role_definition_name == "AcrPush"
    error_message = "release.yml pushes to this environment's registry, the one the kubelet pulls from (AcrPush)."
  }
  assert {
    condition     = azurerm_role_assignment.deploy_cluster_user[0].role_definition_name == "Azure Kubernetes Service Cluster User Role"
    error_message = "az aks get-credentials needs the Azure Kubernetes Service Cluster User Role."
  }
  assert {
    condition     = azurerm_role_assignment.deploy_namespace_writer[0].role_definition_name == "Azure Kubernetes Service RBAC Writer"
    error_message = "helm upgrade needs Azure Kubernetes Service RBAC Writer in the app's namespace."
  }
  assert {
    condition     = contains(azurerm_role_definition.deploy_custom_resources[0].permissions[0].data_actions, "Microsoft.ContainerService/managedClusters/customresources/write")
    error_message = "SecretProviderClass is a custom resource: the custom role must allow customresources/write."
  }
}

run "rejects_an_empty_admin_group_list" {
  command = plan
  variables {
    aks_admin_group_object_ids = []
  }
  expect_failures = [var.aks_admin_group_object_ids]
}
