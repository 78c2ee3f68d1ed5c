terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # Floor 4.65.0: the newest argument this root uses, user_assigned_identity_id on
      # azurerm_federated_identity_credential, first appears in that release. Every argument name of this root was
      # checked against hashicorp/terraform-provider-azurerm at v4.65.0 and at v4.81.0 (the newest 4.x tag seen;
      # internal/services/*/<resource>_resource.go and website/docs/r/). 4.x names: auto_scaling_enabled on node
      # pools, no `managed` in the Entra ID RBAC block, network_data_plane for Cilium. verify's provider tier
      # validates and tests this root against azurerm 4.73.0's real schema (ADR 0012).
      version = "~> 4.65"
    }
    random = {
      source = "hashicorp/random"
      # 3.7.2 is a released version (seen pinned in public configurations); any 3.x from 3.7 on works. The
      # provider tier checks against random 3.9.1's schema.
      version = "~> 3.7"
    }
  }

  # Day 5's bootstrap storage account holds this state too, under its own key (backend.hcl.example).
  backend "azurerm" {
    use_azuread_auth = true
  }
}
