provider "azurerm" {
  # The subscription comes from ARM_SUBSCRIPTION_ID (export it from az account show), never from a literal.
  features {
    key_vault {
      # Purge protection makes an early purge impossible anyway; destroy leaves the vault soft-deleted.
      purge_soft_delete_on_destroy    = false
      recover_soft_deleted_key_vaults = true
    }
  }
}

data "azurerm_client_config" "current" {}

locals {
  tags = merge(var.tags, {
    environment = var.environment
    workload    = var.workload
    managed_by  = "terraform"
  })
  regional = "${var.workload}-${var.environment}-${var.location_short}"
}

# Day 5's modules, called in place: one naming rule, one hardened registry, vault and workspace for every day.
module "naming" {
  source = "../../day5-terraform/modules/naming"

  workload       = var.workload
  environment    = var.environment
  location_short = var.location_short
  unique_suffix  = var.unique_suffix
}

resource "azurerm_resource_group" "this" {
  name     = module.naming.resource_group_name
  location = var.location
  tags     = local.tags
}

module "log_analytics" {
  source = "../../day5-terraform/modules/log-analytics"

  name                = module.naming.log_analytics_workspace_name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

module "container_registry" {
  source = "../../day5-terraform/modules/container-registry"

  name                = module.naming.container_registry_name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

module "key_vault" {
  source = "../../day5-terraform/modules/key-vault"

  name                       = module.naming.key_vault_name
  resource_group_name        = azurerm_resource_group.this.name
  location                   = azurerm_resource_group.this.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  allowed_ip_ranges          = var.key_vault_allowed_ip_ranges
  allowed_subnet_ids         = [azurerm_subnet.aks_nodes.id]
  log_analytics_workspace_id = module.log_analytics.id
  tags                       = local.tags
}
