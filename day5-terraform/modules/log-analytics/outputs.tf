output "id" {
  description = "Resource id of the workspace: the destination for diagnostic settings (Key Vault here, AKS on day 7)."
  value       = azurerm_log_analytics_workspace.this.id
}

output "name" {
  description = "Workspace name."
  value       = azurerm_log_analytics_workspace.this.name
}

output "workspace_id" {
  description = "The workspace's customer id (a GUID), used by agents and az monitor log-analytics query."
  value       = azurerm_log_analytics_workspace.this.workspace_id
}
