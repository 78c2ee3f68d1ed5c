output "id" {
  description = "Resource id of the vault: the scope for Key Vault role assignments."
  value       = azurerm_key_vault.this.id
}

output "name" {
  description = "Vault name, as used by az keyvault secret set --vault-name."
  value       = azurerm_key_vault.this.name
}

output "vault_uri" {
  description = "Data-plane URI, e.g. https://<name>.vault.azure.net/, used by the day 7 SecretProviderClass."
  value       = azurerm_key_vault.this.vault_uri
}
