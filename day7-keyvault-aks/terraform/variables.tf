variable "workload" {
  type        = string
  description = "Short workload name used in every resource name; differs from day 5's so both environments can coexist."
  default     = "tbaks"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.workload))
    error_message = "workload must be 2-12 lowercase letters and digits, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment name."
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
  description = "4-6 lowercase letters or digits that make the registry and Key Vault names globally unique (use day 5's bootstrap suffix)."
  validation {
    condition     = can(regex("^[a-z0-9]{4,6}$", var.unique_suffix))
    error_message = "unique_suffix must be 4-6 lowercase letters or digits."
  }
}

variable "key_vault_allowed_ip_ranges" {
  type        = list(string)
  description = "Your public IP (curl -s https://api.ipify.org): Terraform writes the database secret through the vault firewall."
  validation {
    condition     = length(var.key_vault_allowed_ip_ranges) > 0 && alltrue([for range in var.key_vault_allowed_ip_ranges : can(cidrhost(strcontains(range, "/") ? range : "${range}/32", 0))])
    error_message = "key_vault_allowed_ip_ranges must hold at least one IPv4 address or CIDR range (yours), or terraform cannot write the secret."
  }
}

variable "aks_admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID groups whose members are cluster admins (local accounts are disabled, so this is the way in)."
  validation {
    condition     = length(var.aks_admin_group_object_ids) > 0 && alltrue([for id in var.aks_admin_group_object_ids : can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", id))])
    error_message = "aks_admin_group_object_ids must hold at least one group object id GUID (az ad group show --group <name> --query id -o tsv)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version (AKS picks the latest patch). The course targets 1.35 to 1.37, the minors upstream and AKS both support in December 2026 (AKS release calendar: 1.35 GA March 2026, 1.36 June 2026, 1.37 October 2026)."
  default     = "1.36"
  validation {
    condition     = can(regex("^1\\.3[5-7]$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.35, 1.36 or 1.37 (az aks get-versions --location <region> lists what your region offers)."
  }
}

variable "deploy_principal_id" {
  type        = string
  description = "Object id of the service principal of day 6's GitHub app (az ad sp show --id <appId> --query id -o tsv). When set, it may push images to this registry and deploy the chart into kubernetes_namespace (main.deploy.tf); empty grants nothing."
  default     = ""
  validation {
    condition     = var.deploy_principal_id == "" || can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.deploy_principal_id))
    error_message = "deploy_principal_id must be empty or an object id GUID (az ad sp show --id <appId> --query id -o tsv)."
  }
}

variable "system_node_vm_size" {
  type        = string
  description = "VM size of the system node pool: 2 vCPU / 8 GiB fits the app, the add-ons and a rolling upgrade."
  default     = "Standard_D2s_v5"
  validation {
    condition     = can(regex("^Standard_[A-Za-z0-9_]+$", var.system_node_vm_size))
    error_message = "system_node_vm_size must be an Azure VM size such as Standard_D2s_v5."
  }
}

variable "system_node_min_count" {
  type        = number
  description = "Fewest nodes the cluster autoscaler keeps in the system pool."
  default     = 1
  validation {
    condition     = var.system_node_min_count >= 1 && var.system_node_min_count <= 10
    error_message = "system_node_min_count must be between 1 and 10."
  }
}

variable "system_node_max_count" {
  type        = number
  description = "Most nodes the cluster autoscaler may add to the system pool (caps the bill)."
  default     = 3
  validation {
    condition     = var.system_node_max_count >= 1 && var.system_node_max_count <= 10
    error_message = "system_node_max_count must be between 1 and 10."
  }
}

variable "secret_rotation_interval" {
  type        = string
  description = "How often the Secrets Store CSI driver re-reads Key Vault and rewrites the mounted files."
  default     = "2m"
  validation {
    condition     = can(regex("^[0-9]+[smh]$", var.secret_rotation_interval))
    error_message = "secret_rotation_interval must be a duration such as 2m, 90s or 1h."
  }
}

variable "kubernetes_namespace" {
  type        = string
  description = "Namespace the chart is installed into (helm install -n); part of the federated credential subject."
  default     = "taskboard"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.kubernetes_namespace))
    error_message = "kubernetes_namespace must be a DNS label (lowercase letters, digits and hyphens)."
  }
}

variable "service_account_names" {
  type        = list(string)
  description = "ServiceAccounts that federate with the API identity: the chart's API account and its migrate hook's account."
  default     = ["taskboard-api", "taskboard-migrate"]
  validation {
    condition     = length(var.service_account_names) > 0 && alltrue([for name in var.service_account_names : can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", name))])
    error_message = "service_account_names must hold Kubernetes object names (lowercase letters, digits, '-' and '.')."
  }
}

variable "db_password_secret_name" {
  type        = string
  description = "Key Vault secret holding the database password; the chart's SecretProviderClass mounts it under this file name."
  default     = "db-password"
  validation {
    condition     = can(regex("^[0-9a-zA-Z-]{1,127}$", var.db_password_secret_name))
    error_message = "db_password_secret_name must be 1-127 letters, digits and hyphens (a Key Vault secret name)."
  }
}

variable "postgresql_sku" {
  type        = string
  description = "PostgreSQL Flexible Server SKU; Burstable B1ms is the cheapest that runs the lab."
  default     = "B_Standard_B1ms"
  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_[A-Za-z0-9_]+$", var.postgresql_sku))
    error_message = "postgresql_sku must follow tier_Standard_size, e.g. B_Standard_B1ms or GP_Standard_D2s_v3."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags merged into every resource's tags."
  default     = {}
}
