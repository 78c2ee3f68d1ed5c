# Days 6 and 7 read these with terraform output -raw <name>.

output "resource_group_name" {
  description = "Resource group of the dev environment (day 7 adds AKS to it)."
  value       = azurerm_resource_group.this.name
}

output "location" {
  description = "Region of the dev environment."
  value       = azurerm_resource_group.this.location
}

output "acr_name" {
  description = "Registry name for az acr login --name (day 6)."
  value       = module.container_registry.name
}

output "acr_login_server" {
  description = "Registry host that prefixes image names, e.g. <name>.azurecr.io (days 6 and 7)."
  value       = module.container_registry.login_server
}

output "acr_id" {
  description = "Registry resource id: scope for the AKS kubelet's AcrPull role assignment (day 7)."
  value       = module.container_registry.id
}

output "key_vault_name" {
  description = "Key Vault name for az keyvault secret set --vault-name (day 7)."
  value       = module.key_vault.name
}

output "key_vault_uri" {
  description = "Key Vault URI used by the day 7 SecretProviderClass."
  value       = module.key_vault.vault_uri
}

output "key_vault_id" {
  description = "Key Vault resource id: scope for the workload identity's Key Vault Secrets User role (day 7)."
  value       = module.key_vault.id
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace resource id for AKS monitoring (day 7)."
  value       = module.log_analytics.id
}

output "tenant_id" {
  description = "Entra ID tenant of the Key Vault, needed by workload identity (day 7)."
  value       = data.azurerm_client_config.current.tenant_id
}
