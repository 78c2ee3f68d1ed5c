# Each precondition states Azure's naming rule for that resource type, so a name that Azure would reject
# fails at plan time with the rule, instead of minutes into an apply.

output "resource_group_name" {
  description = "Resource group name: rg-<workload>-<environment>-<location>."
  value       = local.names.resource_group
  precondition {
    condition     = can(regex("^[a-zA-Z0-9._()-]{1,89}[a-zA-Z0-9_()-]$", local.names.resource_group))
    error_message = "Resource group name \"${local.names.resource_group}\" breaks Azure's rule: 1-90 characters, letters, digits, . _ - ( ), not ending in a period."
  }
}

output "log_analytics_workspace_name" {
  description = "Log Analytics workspace name: log-<workload>-<environment>-<location>."
  value       = local.names.log_analytics
  precondition {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$", local.names.log_analytics))
    error_message = "Log Analytics workspace name \"${local.names.log_analytics}\" breaks Azure's rule: 4-63 characters, letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

output "container_registry_name" {
  description = "Container registry name: cr<workload><environment><suffix>, alphanumeric only."
  value       = local.names.container_registry
  precondition {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", local.names.container_registry))
    error_message = "Container registry name \"${local.names.container_registry}\" breaks Azure's rule: 5-50 characters, letters and digits only."
  }
}

output "key_vault_name" {
  description = "Key Vault name: kv-<workload>-<environment>-<suffix>."
  value       = local.names.key_vault
  precondition {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", local.names.key_vault)) && !strcontains(local.names.key_vault, "--")
    error_message = "Key Vault name \"${local.names.key_vault}\" (${length(local.names.key_vault)} characters) breaks Azure's rule: 3-24 characters, letters, digits and single hyphens, starting with a letter and ending with a letter or digit. Shorten workload or unique_suffix."
  }
}

output "state_resource_group_name" {
  description = "Resource group that holds the Terraform state storage account."
  value       = local.names.state_resource_group
  precondition {
    condition     = can(regex("^[a-zA-Z0-9._()-]{1,89}[a-zA-Z0-9_()-]$", local.names.state_resource_group))
    error_message = "Resource group name \"${local.names.state_resource_group}\" breaks Azure's rule: 1-90 characters, letters, digits, . _ - ( ), not ending in a period."
  }
}

output "state_storage_account_name" {
  description = "Storage account name for the Terraform state: st<workload>tf<suffix>."
  value       = local.names.state_storage
  precondition {
    condition     = can(regex("^[a-z0-9]{3,24}$", local.names.state_storage))
    error_message = "Storage account name \"${local.names.state_storage}\" (${length(local.names.state_storage)} characters) breaks Azure's rule: 3-24 characters, lowercase letters and digits only. Shorten workload or unique_suffix."
  }
}
