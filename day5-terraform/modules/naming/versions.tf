terraform {
  # Built-ins only (no provider): `terraform init`, `validate` and `test` run offline for real.
  required_version = ">= 1.9, < 2.0"
}
