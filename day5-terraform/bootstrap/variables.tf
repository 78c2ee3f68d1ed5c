variable "workload" {
  type        = string
  description = "Short workload name, passed to the naming module."
  default     = "taskboard"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.workload))
    error_message = "workload must be 2-12 lowercase letters and digits, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region for the state storage, e.g. westeurope."
  default     = "westeurope"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]+$", var.location))
    error_message = "location must be a region name such as westeurope (lowercase, no spaces)."
  }
}

variable "location_short" {
  type        = string
  description = "Region abbreviation used in names, e.g. weu."
  default     = "weu"
  validation {
    condition     = can(regex("^[a-z]{2,4}$", var.location_short))
    error_message = "location_short must be 2-4 lowercase letters."
  }
}

variable "unique_suffix" {
  type        = string
  description = "4-6 lowercase letters or digits that make the storage account name globally unique."
  validation {
    condition     = can(regex("^[a-z0-9]{4,6}$", var.unique_suffix))
    error_message = "unique_suffix must be 4-6 lowercase letters or digits."
  }
}

variable "state_container_name" {
  type        = string
  description = "Blob container that holds the state files of every environment."
  default     = "tfstate"
  validation {
    condition     = can(regex("^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$", var.state_container_name))
    error_message = "state_container_name must be 3-63 lowercase letters, digits and single hyphens."
  }
}

variable "replication_type" {
  type        = string
  description = "Storage redundancy. LRS is the cheapest; ZRS survives a zone outage; GRS keeps a copy in the paired region."
  default     = "LRS"
  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS"], var.replication_type)
    error_message = "replication_type must be LRS, ZRS, GRS or GZRS."
  }
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Days a deleted or overwritten state blob (and a deleted container) stays recoverable."
  default     = 30
  validation {
    condition     = var.soft_delete_retention_days >= 1 && var.soft_delete_retention_days <= 365
    error_message = "soft_delete_retention_days must be between 1 and 365."
  }
}

variable "state_writer_principal_ids" {
  type        = list(string)
  description = "Object ids of extra identities (e.g. the CI workload identity) that read and write state. You get access automatically."
  default     = []
  validation {
    condition     = alltrue([for id in var.state_writer_principal_ids : can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", id))])
    error_message = "state_writer_principal_ids must hold object id GUIDs."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags merged into the standard ones (environment, workload, managed_by)."
  default     = {}
}
