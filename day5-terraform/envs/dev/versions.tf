terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.77"
    }
  }

  # Partial configuration: the account, container and key come from backend.hcl (terraform init
  # -backend-config=backend.hcl), written from the bootstrap's backend_config output. Entra ID auth is fixed
  # here because the state account has shared keys disabled.
  backend "azurerm" {
    use_azuread_auth = true
  }
}
