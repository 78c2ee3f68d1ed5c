terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # Same pin as day 5, whose modules this root calls. 4.x names: auto_scaling_enabled on node pools, no
      # `managed` in the Entra ID RBAC block, user_assigned_identity_id on federated credentials (since 4.65.0).
      version = "~> 4.77"
    }
    random = {
      source = "hashicorp/random"
      # 3.7.2 is a released version (seen pinned in public configurations); any 3.x from 3.7 on works.
      version = "~> 3.7"
    }
  }

  # Day 5's bootstrap storage account holds this state too, under its own key (backend.hcl.example).
  backend "azurerm" {
    use_azuread_auth = true
  }
}
