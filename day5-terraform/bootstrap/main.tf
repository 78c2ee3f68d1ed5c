provider "azurerm" {
  features {}
  # Shared keys are disabled on the state account, so the provider reaches blobs with Entra ID tokens too.
  storage_use_azuread = true
}

data "azurerm_client_config" "current" {}

module "naming" {
  source = "../modules/naming"

  workload       = var.workload
  environment    = "shared"
  location_short = var.location_short
  unique_suffix  = var.unique_suffix
}

locals {
  tags = merge(var.tags, {
    environment = "shared"
    workload    = var.workload
    managed_by  = "terraform"
    purpose     = "terraform-state"
  })
  state_writers = toset(concat([data.azurerm_client_config.current.object_id], var.state_writer_principal_ids))
}

resource "azurerm_resource_group" "this" {
  name     = module.naming.state_resource_group_name
  location = var.location
  tags     = local.tags
}

resource "azurerm_storage_account" "this" {
  name                     = module.naming.state_storage_account_name
  resource_group_name      = azurerm_resource_group.this.name
  location                 = azurerm_resource_group.this.location
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = var.replication_type

  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  # Entra ID only: no account key or SAS token exists that could leak the state (which holds secrets).
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true

  blob_properties {
    # Every state write keeps the previous version: a corrupted or wrongly applied state can be rolled back.
    versioning_enabled = true
    delete_retention_policy {
      days = var.soft_delete_retention_days
    }
    container_delete_retention_policy {
      days = var.soft_delete_retention_days
    }
  }

  tags = local.tags
}

resource "azurerm_storage_container" "state" {
  name                  = var.state_container_name
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

# The backend authenticates with use_azuread_auth, which needs a data-plane role; Owner alone is not enough.
resource "azurerm_role_assignment" "state_writers" {
  for_each             = local.state_writers
  scope                = azurerm_storage_account.this.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = each.value
}
