# The API's Azure identity. It holds no secret: Entra ID accepts a Kubernetes service account token signed by the
# cluster's OIDC issuer instead, for exactly the subjects below.
resource "azurerm_user_assigned_identity" "api" {
  name                = "id-${local.regional}-api"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

locals {
  # system:serviceaccount:<namespace>:<name>, byte for byte what the token's `sub` claim says; anything else is
  # AADSTS700213 (no matching federated identity record).
  workload_subjects = { for name in var.service_account_names : name => "system:serviceaccount:${var.kubernetes_namespace}:${name}" }
}

resource "azurerm_federated_identity_credential" "api" {
  for_each = local.workload_subjects

  name                      = "fic-${each.key}"
  user_assigned_identity_id = azurerm_user_assigned_identity.api.id
  issuer                    = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject                   = each.value
  audience                  = ["api://AzureADTokenExchange"]
}

# Read secret values, on this vault only: not Secrets Officer, not the resource group.
resource "azurerm_role_assignment" "api_secrets_user" {
  scope                = module.key_vault.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.api.principal_id
  principal_type       = "ServicePrincipal"
}
