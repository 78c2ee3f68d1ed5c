# Runs offline for real: the naming module uses built-ins only.

variables {
  workload       = "taskboard"
  environment    = "dev"
  location_short = "weu"
  unique_suffix  = "a1b2"
}

run "builds_consistent_names" {
  command = plan

  assert {
    condition     = output.resource_group_name == "rg-taskboard-dev-weu"
    error_message = "resource_group_name should be rg-<workload>-<environment>-<location>, got ${output.resource_group_name}."
  }
  assert {
    condition     = output.container_registry_name == "crtaskboarddeva1b2"
    error_message = "container_registry_name should be alphanumeric cr<workload><environment><suffix>, got ${output.container_registry_name}."
  }
  assert {
    condition     = output.key_vault_name == "kv-taskboard-dev-a1b2"
    error_message = "key_vault_name should be kv-<workload>-<environment>-<suffix>, got ${output.key_vault_name}."
  }
  assert {
    condition     = output.state_storage_account_name == "sttaskboardtfa1b2"
    error_message = "state_storage_account_name should be st<workload>tf<suffix>, got ${output.state_storage_account_name}."
  }
}

run "rejects_uppercase_workload" {
  command = plan
  variables {
    workload = "TaskBoard"
  }
  expect_failures = [var.workload]
}

run "rejects_unknown_environment" {
  command = plan
  variables {
    environment = "staging"
  }
  expect_failures = [var.environment]
}

run "rejects_key_vault_name_over_24_characters" {
  command = plan
  variables {
    workload      = "taskboardapi"
    environment   = "shared"
    unique_suffix = "a1b2c3"
  }
  # kv-taskboardapi-shared-a1b2c3 is 29 characters: each part is valid, the combination is not.
  expect_failures = [output.key_vault_name]
}
