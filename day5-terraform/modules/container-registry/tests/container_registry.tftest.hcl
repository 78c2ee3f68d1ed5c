mock_provider "azurerm" {}

variables {
  name                = "crtaskboarddeva1b2"
  resource_group_name = "rg-taskboard-dev-weu"
  location            = "westeurope"
  tags                = { environment = "dev", managed_by = "terraform" }
}

run "disables_the_admin_user" {
  command = plan

  assert {
    condition     = azurerm_container_registry.this.admin_enabled == false
    error_message = "azurerm_container_registry.this must keep admin_enabled = false: pushes use Entra ID role assignments."
  }
  assert {
    condition     = azurerm_container_registry.this.anonymous_pull_enabled == false
    error_message = "azurerm_container_registry.this must not allow anonymous pulls."
  }
}

run "sets_retention_on_premium" {
  command = plan
  variables {
    sku                     = "Premium"
    untagged_retention_days = 14
  }

  assert {
    condition     = azurerm_container_registry.this.retention_policy_in_days == 14
    error_message = "On Premium, retention_policy_in_days should follow untagged_retention_days."
  }
}

run "rejects_a_hyphenated_name" {
  command = plan
  variables {
    name = "cr-taskboard"
  }
  expect_failures = [var.name]
}
