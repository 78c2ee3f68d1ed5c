#!/usr/bin/env bash
# Called by .github/workflows/terraform.yml: terraform init of day5-terraform/envs/dev against the azurerm backend
# that day 5's bootstrap created, authenticated with OIDC (ARM_USE_OIDC, ARM_USE_AZUREAD from the workflow env).
# The git-ignored terraform.tfvars is written from the TFVARS_DEV repository variable (no secrets in it: ids,
# an IP range, a budget date and e-mail; see day6-cicd/README.md#2-repository-variables).
set -euo pipefail
: "${TF_DIR:?}" "${TFSTATE_RESOURCE_GROUP:?repository variable TFSTATE_RESOURCE_GROUP}" \
  "${TFSTATE_STORAGE_ACCOUNT:?repository variable TFSTATE_STORAGE_ACCOUNT}" "${TFVARS:?repository variable TFVARS_DEV}"

printf '%s\n' "$TFVARS" >"$TF_DIR/terraform.tfvars"
terraform -chdir="$TF_DIR" init -no-color -input=false \
  -backend-config="resource_group_name=$TFSTATE_RESOURCE_GROUP" \
  -backend-config="storage_account_name=$TFSTATE_STORAGE_ACCOUNT" \
  -backend-config="container_name=tfstate" \
  -backend-config="key=dev/taskboard.tfstate" \
  -backend-config="use_azuread_auth=true"
