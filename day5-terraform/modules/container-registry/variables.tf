variable "name" {
  type        = string
  description = "Registry name (global DNS label): 5-50 letters and digits."
  validation {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", var.name))
    error_message = "name must be 5-50 letters and digits (a registry name is a global DNS label with no hyphens)."
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

variable "sku" {
  type        = string
  description = "Registry SKU. Basic is enough for the course; retention of untagged manifests needs Premium."
  default     = "Basic"
  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.sku)
    error_message = "sku must be Basic, Standard or Premium."
  }
}

variable "untagged_retention_days" {
  type        = number
  description = "Days Azure keeps untagged manifests before deleting them (Premium only; ignored on Basic and Standard)."
  default     = 7
  validation {
    condition     = var.untagged_retention_days >= 0 && var.untagged_retention_days <= 365
    error_message = "untagged_retention_days must be between 0 and 365."
  }
}
