#!/usr/bin/env bash
# Removes the platform releases in reverse order (uninstall Taskboard first: its Cluster needs the operator
# to shut down cleanly). CRDs are kept (also the Gateway API's, which install.sh applied without Helm), so
# existing Certificates, Clusters and Gateways are not deleted with them.
#   bash day3-helm/platform/uninstall.sh
set -euo pipefail
helm uninstall cnpg --namespace cnpg-system --ignore-not-found
helm uninstall traefik --namespace traefik --ignore-not-found
helm uninstall cert-manager --namespace cert-manager --ignore-not-found
