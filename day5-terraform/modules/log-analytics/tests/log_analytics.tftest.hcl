mock_provider "azurerm" {}

variables {
  name                = "log-taskboard-dev-weu"
  resource_group_name = "rg-taskboard-dev-weu"
  location            = "westeurope"
  tags                = { environment = "dev", managed_by = "terraform" }
}

run "caps_retention_and_ingestion_by_default" {
  command = plan

  assert {
    condition     = azurerm_log_analytics_workspace.this.retention_in_days == 30
    error_message = "Default retention should be the 30 days included in the PerGB2018 price."
  }
  assert {
    condition     = azurerm_log_analytics_workspace.this.daily_quota_gb == 1
    error_message = "Default daily_quota_gb should cap ingestion at 1 GB a day."
  }
}

run "rejects_retention_below_30_days" {
  command = plan
  variables {
    retention_in_days = 7
  }
  expect_failures = [var.retention_in_days]
}

run "requires_the_environment_tag" {
  command = plan
  variables {
    tags = { managed_by = "terraform" }
  }
  expect_failures = [var.tags]
}
