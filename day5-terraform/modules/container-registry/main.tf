resource "azurerm_container_registry" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = var.sku

  # Pushes and pulls use Entra ID identities (AcrPush / AcrPull role assignments), never the shared admin password.
  admin_enabled          = false
  anonymous_pull_enabled = false

  # The API accepts a retention policy only on Premium.
  retention_policy_in_days = var.sku == "Premium" ? var.untagged_retention_days : null

  tags = var.tags
}
