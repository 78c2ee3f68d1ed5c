mock_provider "azurerm" {
  mock_data "azurerm_client_config" {
    defaults = {
      tenant_id = "00000000-0000-0000-0000-000000000001"
      object_id = "00000000-0000-0000-0000-000000000002"
    }
  }
  # Mocked ids must look like the real ones, or the key-vault module's workspace id validation rejects them.
  mock_resource "azurerm_log_analytics_workspace" {
    defaults = {
      id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-taskboard-dev-weu/providers/Microsoft.OperationalInsights/workspaces/log-taskboard-dev-weu"
    }
  }
}

variables {
  unique_suffix         = "a1b2"
  ci_principal_id       = "00000000-0000-0000-0000-000000000003"
  budget_start_date     = "2026-12-01T00:00:00Z"
  budget_contact_emails = ["ops@example.com"]
}

run "wires_the_modules_together" {
  command = plan

  assert {
    condition     = azurerm_resource_group.this.name == "rg-taskboard-dev-weu"
    error_message = "The resource group should take its name from the naming module."
  }
  assert {
    condition     = azurerm_role_assignment.ci_acr_push.role_definition_name == "AcrPush"
    error_message = "The CI identity needs AcrPush on the registry."
  }
  assert {
    condition     = azurerm_role_assignment.operator_secrets_officer.principal_id == "00000000-0000-0000-0000-000000000002"
    error_message = "Without operator_principal_id, the caller becomes Key Vault Secrets Officer."
  }
}

run "tags_every_resource" {
  command = plan

  assert {
    condition     = azurerm_resource_group.this.tags["environment"] == "dev" && azurerm_resource_group.this.tags["managed_by"] == "terraform"
    error_message = "The resource group must carry the environment and managed_by tags."
  }
}

run "alerts_on_the_budget" {
  command = plan

  assert {
    condition     = length(azurerm_consumption_budget_resource_group.this.notification) == 2
    error_message = "The budget should alert at 80% actual and 100% forecast."
  }
}

run "rejects_a_budget_that_does_not_start_on_the_first" {
  command = plan
  variables {
    budget_start_date = "2026-12-15T00:00:00Z"
  }
  expect_failures = [var.budget_start_date]
}
