terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.77"
    }
  }
  # No backend block on purpose: the bootstrap creates the remote state storage, so its own state is local
  # (terraform.tfstate in this folder, git-ignored). Keep that file; it is the only record of these resources.
}
