terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.42.0 introduced rbac_authorization_enabled; 4.77.0 is the release this course was checked against.
      version = "~> 4.77"
    }
  }
}
