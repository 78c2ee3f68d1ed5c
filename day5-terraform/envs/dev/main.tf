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
  operator_principal_id = coalesce(var.operator_principal_id, data.azurerm_client_config.current.object_id)
}

module "naming" {
  source = "../../modules/naming"

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
  source = "../../modules/log-analytics"

  name                = module.naming.log_analytics_workspace_name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

module "container_registry" {
  source = "../../modules/container-registry"

  name                = module.naming.container_registry_name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku                 = var.acr_sku
  tags                = local.tags
}

module "key_vault" {
  source = "../../modules/key-vault"

  name                       = module.naming.key_vault_name
  resource_group_name        = azurerm_resource_group.this.name
  location                   = azurerm_resource_group.this.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  allowed_ip_ranges          = var.key_vault_allowed_ip_ranges
  log_analytics_workspace_id = module.log_analytics.id
  tags                       = local.tags
}

# Day 6's pipeline pushes images with its own identity; nobody needs the registry admin password.
resource "azurerm_role_assignment" "ci_acr_push" {
  scope                = module.container_registry.id
  role_definition_name = "AcrPush"
  principal_id         = var.ci_principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "operator_secrets_officer" {
  scope                = module.key_vault.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = local.operator_principal_id
}

resource "azurerm_consumption_budget_resource_group" "this" {
  name              = "budget-${var.workload}-${var.environment}"
  resource_group_id = azurerm_resource_group.this.id
  amount            = var.monthly_budget
  time_grain        = "Monthly"

  time_period {
    start_date = var.budget_start_date
  }

  notification {
    enabled        = true
    threshold      = 80
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Actual"
    contact_emails = var.budget_contact_emails
  }

  notification {
    enabled        = true
    threshold      = 100
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Forecasted"
    contact_emails = var.budget_contact_emails
  }
}
