variable "name" {
  type        = string
  description = "Key Vault name (global DNS label): 3-24 letters, digits and single hyphens."
  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.name))
    error_message = "name must be 3-24 letters, digits and hyphens, starting with a letter and ending with a letter or digit."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the resource."
  validation {
    condition     = can(regex("^[a-zA-Z0-9._()-]{1,89}[a-zA-Z0-9_()-]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 characters: letters, digits, . _ - ( ), not ending in a period."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
  validation {
    condition     = can(regex("^[a-z][a-z0-9]+$", var.location))
    error_message = "location must be a region name such as westeurope (lowercase, no spaces)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every taggable resource; must carry environment and managed_by."
  validation {
    condition     = alltrue([for key in ["environment", "managed_by"] : contains(keys(var.tags), key)])
    error_message = "tags must include the keys environment and managed_by."
  }
}

variable "tenant_id" {
  type        = string
  description = "Entra ID tenant that authenticates requests to the vault."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.tenant_id))
    error_message = "tenant_id must be a GUID (az account show --query tenantId -o tsv)."
  }
}

variable "sku_name" {
  type        = string
  description = "Vault SKU: standard (software-protected keys) or premium (HSM-backed keys)."
  default     = "standard"
  validation {
    condition     = contains(["standard", "premium"], var.sku_name)
    error_message = "sku_name must be standard or premium."
  }
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Days a deleted vault and its secrets stay recoverable. With purge protection the name stays taken that long, so the course uses the minimum."
  default     = 7
  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "allowed_ip_ranges" {
  type        = list(string)
  description = "Public IPv4 addresses or CIDR ranges allowed through the vault firewall (yours, to write secrets). Everything else is denied."
  default     = []
  validation {
    condition     = alltrue([for range in var.allowed_ip_ranges : can(cidrhost(strcontains(range, "/") ? range : "${range}/32", 0))])
    error_message = "allowed_ip_ranges must hold IPv4 addresses or CIDR ranges, e.g. 203.0.113.7 or 203.0.113.0/24."
  }
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Resource id of the Log Analytics workspace that receives the vault's audit logs and metrics."
  validation {
    condition     = can(regex("(?i)/providers/Microsoft\\.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be a workspace resource id (.../providers/Microsoft.OperationalInsights/workspaces/<name>)."
  }
}

variable "allowed_subnet_ids" {
  type        = list(string)
  description = "Subnets (with the Microsoft.KeyVault service endpoint) allowed through the vault firewall, e.g. day 7's AKS node subnet, where the Secrets Store CSI driver fetches secrets."
  default     = []
  validation {
    condition     = alltrue([for id in var.allowed_subnet_ids : can(regex("(?i)/providers/Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+$", id))])
    error_message = "allowed_subnet_ids must hold subnet resource ids (.../providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)."
  }
}
