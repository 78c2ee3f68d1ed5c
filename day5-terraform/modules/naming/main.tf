# Names follow the Cloud Adoption Framework abbreviations (rg-, log-, cr, kv-, st). Key Vault, container
# registry and storage names are global DNS labels, so they carry the unique suffix.
locals {
  regional = "${var.workload}-${var.environment}-${var.location_short}"
  compact  = "${var.workload}${var.environment}${var.unique_suffix}"

  names = {
    resource_group       = "rg-${local.regional}"
    log_analytics        = "log-${local.regional}"
    container_registry   = "cr${local.compact}"
    key_vault            = "kv-${var.workload}-${var.environment}-${var.unique_suffix}"
    state_resource_group = "rg-${var.workload}-tfstate-${var.location_short}"
    state_storage        = "st${var.workload}tf${var.unique_suffix}"
  }
}
