variable "workload" {
  type        = string
  description = "Short workload name shared by every resource, e.g. taskboard."
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.workload))
    error_message = "workload must be 2-12 characters, lowercase letters and digits, starting with a letter (it is embedded in storage and registry names, which allow nothing else)."
  }
}

variable "environment" {
  type        = string
  description = "Environment the names belong to: dev, test, prod, or shared for the state bootstrap."
  validation {
    condition     = contains(["dev", "test", "prod", "shared"], var.environment)
    error_message = "environment must be one of dev, test, prod, shared."
  }
}

variable "location_short" {
  type        = string
  description = "Abbreviation of the Azure region used in names, e.g. weu for westeurope."
  validation {
    condition     = can(regex("^[a-z]{2,4}$", var.location_short))
    error_message = "location_short must be 2-4 lowercase letters, e.g. weu."
  }
}

variable "unique_suffix" {
  type        = string
  description = "Suffix that makes the globally unique names (Key Vault, registry, storage) yours, e.g. the first 4 characters of your subscription id."
  validation {
    condition     = can(regex("^[a-z0-9]{4,6}$", var.unique_suffix))
    error_message = "unique_suffix must be 4-6 lowercase letters or digits."
  }
}
