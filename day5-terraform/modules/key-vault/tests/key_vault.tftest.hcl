mock_provider "azurerm" {}

variables {
  name                       = "kv-taskboard-dev-a1b2"
  resource_group_name        = "rg-taskboard-dev-weu"
  location                   = "westeurope"
  tenant_id                  = "00000000-0000-0000-0000-000000000001"
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-taskboard-dev-weu/providers/Microsoft.OperationalInsights/workspaces/log-taskboard-dev-weu"
  tags                       = { environment = "dev", managed_by = "terraform" }
}

run "uses_rbac_and_purge_protection" {
  command = plan

  assert {
    condition     = azurerm_key_vault.this.rbac_authorization_enabled == true
    error_message = "azurerm_key_vault.this must authorize data-plane access with Azure RBAC."
  }
  assert {
    condition     = azurerm_key_vault.this.purge_protection_enabled == true
    error_message = "azurerm_key_vault.this must enable purge protection."
  }
  assert {
    condition     = azurerm_key_vault.this.soft_delete_retention_days == 7
    error_message = "Default soft-delete retention should be 7 days."
  }
}

run "denies_network_access_except_the_allow_list" {
  command = plan
  variables {
    allowed_ip_ranges = ["203.0.113.7", "198.51.100.0/24"]
  }

  assert {
    condition     = azurerm_key_vault.this.network_acls[0].default_action == "Deny"
    error_message = "The vault firewall must default to Deny."
  }
  assert {
    condition     = toset(azurerm_key_vault.this.network_acls[0].ip_rules) == toset(["203.0.113.7", "198.51.100.0/24"])
    error_message = "ip_rules must be exactly allowed_ip_ranges."
  }
}

run "sends_audit_logs_to_log_analytics" {
  command = plan

  assert {
    condition     = azurerm_monitor_diagnostic_setting.this.log_analytics_workspace_id == var.log_analytics_workspace_id
    error_message = "The diagnostic setting must send to the given Log Analytics workspace."
  }
}

run "rejects_a_tenant_id_that_is_not_a_guid" {
  command = plan
  variables {
    tenant_id = "contoso.onmicrosoft.com"
  }
  expect_failures = [var.tenant_id]
}

run "rejects_an_invalid_ip_range" {
  command = plan
  variables {
    allowed_ip_ranges = ["my-laptop"]
  }
  expect_failures = [var.allowed_ip_ranges]
}
