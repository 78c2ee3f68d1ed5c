variable "workload" {
  type        = string
  description = "Short workload name used in every resource name."
  default     = "taskboard"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.workload))
    error_message = "workload must be 2-12 lowercase letters and digits, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment name; this root is the dev environment."
  default     = "dev"
  validation {
    condition     = contains(["dev", "test", "prod"], var.environment)
    error_message = "environment must be dev, test or prod."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
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
  description = "4-6 lowercase letters or digits that make the registry and Key Vault names globally unique (use the bootstrap's)."
  validation {
    condition     = can(regex("^[a-z0-9]{4,6}$", var.unique_suffix))
    error_message = "unique_suffix must be 4-6 lowercase letters or digits."
  }
}

variable "acr_sku" {
  type        = string
  description = "Container registry SKU."
  default     = "Basic"
  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.acr_sku)
    error_message = "acr_sku must be Basic, Standard or Premium."
  }
}

variable "ci_principal_id" {
  type        = string
  description = "Object id of the CI identity (day 6's GitHub Actions workload identity) that gets AcrPush."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.ci_principal_id))
    error_message = "ci_principal_id must be an object id GUID (az ad sp show --id <appId> --query id -o tsv)."
  }
}

variable "operator_principal_id" {
  type        = string
  description = "Object id of the person or group that manages secrets (Key Vault Secrets Officer). Null means whoever runs terraform."
  default     = null
  validation {
    condition     = var.operator_principal_id == null || can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.operator_principal_id))
    error_message = "operator_principal_id must be null or an object id GUID (az ad signed-in-user show --query id -o tsv)."
  }
}

variable "key_vault_allowed_ip_ranges" {
  type        = list(string)
  description = "Your public IP (curl -s https://api.ipify.org) or CIDR ranges allowed through the Key Vault firewall."
  default     = []
  validation {
    condition     = alltrue([for range in var.key_vault_allowed_ip_ranges : can(cidrhost(strcontains(range, "/") ? range : "${range}/32", 0))])
    error_message = "key_vault_allowed_ip_ranges must hold IPv4 addresses or CIDR ranges."
  }
}

variable "monthly_budget" {
  type        = number
  description = "Monthly budget for the resource group, in the billing currency of the subscription."
  default     = 20
  validation {
    condition     = var.monthly_budget > 0
    error_message = "monthly_budget must be a positive amount."
  }
}

variable "budget_start_date" {
  type        = string
  description = "First day of the budget period, the first of a month in RFC 3339, e.g. 2026-12-01T00:00:00Z. Azure rejects other days."
  validation {
    condition     = can(regex("^20[0-9]{2}-(0[1-9]|1[0-2])-01T00:00:00Z$", var.budget_start_date))
    error_message = "budget_start_date must be the first day of a month, e.g. 2026-12-01T00:00:00Z."
  }
}

variable "budget_contact_emails" {
  type        = list(string)
  description = "Addresses that receive the budget alerts (80% actual, 100% forecast)."
  validation {
    condition     = length(var.budget_contact_emails) > 0 && alltrue([for email in var.budget_contact_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "budget_contact_emails must hold at least one e-mail address."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags merged into the standard ones (environment, workload, managed_by)."
  default     = {}
}
