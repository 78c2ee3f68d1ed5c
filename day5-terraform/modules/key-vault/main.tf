resource "azurerm_key_vault" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  tenant_id           = var.tenant_id
  sku_name            = var.sku_name

  # Data-plane access through Azure role assignments (Key Vault Secrets Officer / User), not access policies.
  rbac_authorization_enabled = true

  # A deleted vault stays recoverable for soft_delete_retention_days and nobody can purge it early.
  purge_protection_enabled   = true
  soft_delete_retention_days = var.soft_delete_retention_days

  network_acls {
    default_action = "Deny"
    # Trusted first-party services (Azure Monitor, Backup...) may pass. AKS's Secrets Store CSI provider is not one
    # of them: it calls from the node subnet, which allowed_subnet_ids admits through its service endpoint.
    bypass                     = "AzureServices"
    ip_rules                   = var.allowed_ip_ranges
    virtual_network_subnet_ids = var.allowed_subnet_ids
  }

  tags = var.tags
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "send-to-log-analytics"
  target_resource_id         = azurerm_key_vault.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  # The audit group records every secret read and write: who, when, from where.
  enabled_log {
    category_group = "audit"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
