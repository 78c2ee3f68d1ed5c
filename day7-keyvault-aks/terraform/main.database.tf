# The database password exists in three places only: the PostgreSQL server, Key Vault and the Terraform state
# (which is why the state account is Entra-only, day 5). It is never a literal and never a Kubernetes Secret.
resource "random_password" "db" {
  length = 32
  # Only characters that survive a connection string and a shell without quoting.
  special          = true
  override_special = "-_.~"
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                          = "psql-${local.regional}-${var.unique_suffix}"
  resource_group_name           = azurerm_resource_group.this.name
  location                      = azurerm_resource_group.this.location
  version                       = "16"
  sku_name                      = var.postgresql_sku
  storage_mb                    = 32768
  backup_retention_days         = 7
  delegated_subnet_id           = azurerm_subnet.postgresql.id
  private_dns_zone_id           = azurerm_private_dns_zone.postgresql.id
  public_network_access_enabled = false
  administrator_login           = "taskboard"
  administrator_password        = random_password.db.result
  tags                          = local.tags

  authentication {
    password_auth_enabled = true
  }

  lifecycle {
    # Azure may place the server in any zone; moving it back would be a needless restart.
    ignore_changes = [zone]
  }

  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgresql]
}

resource "azurerm_postgresql_flexible_server_database" "taskboard" {
  name      = "taskboard"
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# Terraform writes the secret, so whoever runs it needs Key Vault Secrets Officer on this vault (data plane).
resource "azurerm_role_assignment" "operator_secrets_officer" {
  scope                = module.key_vault.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_key_vault_secret" "db_password" {
  name         = var.db_password_secret_name
  value        = random_password.db.result
  key_vault_id = module.key_vault.id
  content_type = "PostgreSQL password of ${azurerm_postgresql_flexible_server.this.administrator_login}"

  # A role assignment takes a minute or two to reach the data plane; the first write may still get a 403.
  depends_on = [azurerm_role_assignment.operator_secrets_officer]
}
