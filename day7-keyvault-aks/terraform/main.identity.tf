# The API's Azure identity. It holds no secret: Entra ID accepts a Kubernetes service account token signed by the
# cluster's OIDC issuer instead, for exactly the subjects below.
resource "azurerm_user_assigned_identity" "api" {
  name                = "id-${local.regional}-api"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

# One credential per ServiceAccount. The subject must equal the token's `sub` claim byte for byte,
# system:serviceaccount:<namespace>:<name>; anything else is AADSTS700213 (no matching federated identity record).
resource "azurerm_federated_identity_credential" "api" {
  for_each = toset(var.service_account_names)

  name                      = "fic-${each.value}"
  user_assigned_identity_id = azurerm_user_assigned_identity.api.id
  issuer                    = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject                   = "system:serviceaccount:${var.kubernetes_namespace}:${each.value}"
  audience                  = ["api://AzureADTokenExchange"]
}

# Read secret values, on this vault only: not Secrets Officer, not the resource group.
resource "azurerm_role_assignment" "api_secrets_user" {
  scope                = module.key_vault.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.api.principal_id
  principal_type       = "ServicePrincipal"
}
