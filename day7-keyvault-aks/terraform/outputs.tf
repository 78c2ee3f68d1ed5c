# terraform output -json helm_values > helm-values.json, then helm install ... -f values-aks.yaml -f helm-values.json.

output "helm_values" {
  description = "The chart values only Terraform knows, shaped like day 3's values.yaml: workload identity client id, tenant, vault, secret name, database host and range, image repository."
  value = {
    secrets = {
      keyvault = {
        clientId           = azurerm_user_assigned_identity.api.client_id
        tenantId           = data.azurerm_client_config.current.tenant_id
        vaultName          = module.key_vault.name
        passwordSecretName = azurerm_key_vault_secret.db_password.name
      }
    }
    postgresql = {
      external = {
        host     = azurerm_postgresql_flexible_server.this.fqdn
        user     = azurerm_postgresql_flexible_server.this.administrator_login
        database = azurerm_postgresql_flexible_server_database.taskboard.name
        cidr     = azurerm_subnet.postgresql.address_prefixes[0]
      }
    }
    api = {
      image = {
        repository = "${module.container_registry.login_server}/taskboard-api"
      }
    }
    web = {
      image = {
        repository = "${module.container_registry.login_server}/taskboard-web"
      }
    }
  }
}

output "resource_group_name" {
  description = "Resource group for az aks get-credentials --resource-group."
  value       = azurerm_resource_group.this.name
}

output "cluster_name" {
  description = "AKS cluster name for az aks get-credentials --name."
  value       = azurerm_kubernetes_cluster.this.name
}

output "key_vault_name" {
  description = "Key Vault name for az keyvault secret show/set during the rotation step."
  value       = module.key_vault.name
}

output "acr_name" {
  description = "Registry name for az acr login / az acr import (push the day 1 images)."
  value       = module.container_registry.name
}

output "acr_login_server" {
  description = "Registry host the kubelet pulls from; day 6's ACR_LOGIN_SERVER repository variable once this environment exists."
  value       = module.container_registry.login_server
}

output "postgresql_server_name" {
  description = "PostgreSQL Flexible Server name for az postgres flexible-server commands."
  value       = azurerm_postgresql_flexible_server.this.name
}
