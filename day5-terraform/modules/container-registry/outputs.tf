output "id" {
  description = "Resource id of the registry: the scope for AcrPush and AcrPull role assignments."
  value       = azurerm_container_registry.this.id
}

output "name" {
  description = "Registry name, as used by az acr login --name."
  value       = azurerm_container_registry.this.name
}

output "login_server" {
  description = "Registry host for image references, e.g. <name>.azurecr.io."
  value       = azurerm_container_registry.this.login_server
}
