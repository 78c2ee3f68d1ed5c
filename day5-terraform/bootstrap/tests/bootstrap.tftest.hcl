mock_provider "azurerm" {
  mock_data "azurerm_client_config" {
    defaults = {
      tenant_id = "00000000-0000-0000-0000-000000000001"
      object_id = "00000000-0000-0000-0000-000000000002"
    }
  }
}

variables {
  unique_suffix = "a1b2"
}

run "hardens_the_state_storage_account" {
  command = plan

  assert {
    condition     = azurerm_storage_account.this.min_tls_version == "TLS1_2"
    error_message = "The state storage account must require TLS 1.2."
  }
  assert {
    condition     = azurerm_storage_account.this.allow_nested_items_to_be_public == false
    error_message = "The state storage account must forbid public blob access."
  }
  assert {
    condition     = azurerm_storage_account.this.shared_access_key_enabled == false
    error_message = "The state storage account must accept Entra ID only (shared keys disabled)."
  }
  assert {
    condition     = azurerm_storage_account.this.blob_properties[0].versioning_enabled == true
    error_message = "Blob versioning must be on so earlier state versions can be restored."
  }
  assert {
    condition     = azurerm_storage_container.state.container_access_type == "private"
    error_message = "The state container must be private."
  }
}

run "grants_the_caller_blob_data_access" {
  command = plan

  assert {
    condition     = contains(keys(azurerm_role_assignment.state_writers), "00000000-0000-0000-0000-000000000002")
    error_message = "The identity running the bootstrap needs Storage Blob Data Contributor for use_azuread_auth."
  }
}
