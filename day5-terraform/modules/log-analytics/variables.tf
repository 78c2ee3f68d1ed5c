variable "name" {
  type        = string
  description = "Log Analytics workspace name: 4-63 letters, digits and hyphens."
  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$", var.name))
    error_message = "name must be 4-63 letters, digits and hyphens, starting and ending with a letter or digit."
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

variable "retention_in_days" {
  type        = number
  description = "Days the workspace keeps data. 30 is included in the PerGB2018 price; longer costs extra."
  default     = 30
  validation {
    condition     = var.retention_in_days >= 30 && var.retention_in_days <= 730
    error_message = "retention_in_days must be between 30 and 730."
  }
}

variable "daily_quota_gb" {
  type        = number
  description = "Daily ingestion cap in GB, so a noisy log source cannot run up the bill; -1 removes the cap."
  default     = 1
  validation {
    condition     = var.daily_quota_gb == -1 || var.daily_quota_gb > 0
    error_message = "daily_quota_gb must be -1 (no cap) or a positive number of GB."
  }
}
