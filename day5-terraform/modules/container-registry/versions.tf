terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # Floor 4.42.0: rbac_authorization_enabled (key-vault module), the newest argument day 5 uses, first appears
      # there. Names checked against hashicorp/terraform-provider-azurerm v4.81.0, the newest 4.x tag seen (issue 15).
      # verify's provider tier validates and tests this code against azurerm 4.73.0's real schema (ADR 0012).
      version = "~> 4.42"
    }
  }
}
