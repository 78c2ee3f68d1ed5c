output "resource_group_name" {
  description = "Resource group of the state storage account."
  value       = azurerm_resource_group.this.name
}

output "storage_account_name" {
  description = "State storage account name."
  value       = azurerm_storage_account.this.name
}

output "container_name" {
  description = "Blob container that holds the state files."
  value       = azurerm_storage_container.state.name
}

output "backend_config" {
  description = "Contents for envs/dev/backend.hcl: terraform output -raw backend_config > ../envs/dev/backend.hcl"
  value       = <<-EOT
    resource_group_name  = "${azurerm_resource_group.this.name}"
    storage_account_name = "${azurerm_storage_account.this.name}"
    container_name       = "${azurerm_storage_container.state.name}"
    key                  = "dev/taskboard.tfstate"
  EOT
}
