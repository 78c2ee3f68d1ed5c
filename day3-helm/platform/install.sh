#!/usr/bin/env bash
# Installs the platform Taskboard runs on, one Helm release per community chart, each pinned to an exact
# version with its values file in the repository:
#   bash day3-helm/platform/install.sh        (from the repository root, with kubectl pointing at the cluster)
# Re-running it is safe: `helm upgrade --install` converges each release to the pinned version and values.
# npm run verify:day3 checks that every version below is exact (no ranges) and matches day 2's choices.
set -euo pipefail

# Gateway API CRDs, cert-manager and Traefik: the versions day 2 chose (day2-k8s/cluster/up.sh).
readonly GATEWAY_API_VERSION=v1.5.1
readonly CERT_MANAGER_VERSION=v1.21.2
readonly TRAEFIK_CHART_VERSION=41.5.0
# CloudNativePG operator chart 0.29.1 = operator 1.30.1 (release cloudnative-pg-v0.29.1 of cloudnative-pg/charts).
readonly CLOUDNATIVE_PG_CHART_VERSION=0.29.1

readonly HERE=day3-helm/platform

for tool in helm kubectl; do
  command -v "$tool" >/dev/null || { echo "install.sh: $tool not found (bash scripts/bootstrap-tools.sh)" >&2; exit 1; }
done
[[ -d $HERE ]] || { echo "install.sh: run it from the repository root" >&2; exit 1; }

helm repo add traefik https://traefik.github.io/charts --force-update >/dev/null
helm repo add cnpg https://cloudnative-pg.github.io/charts --force-update >/dev/null

echo "== Gateway API CRDs $GATEWAY_API_VERSION (standard channel)"
# Before Traefik: its chart renders a GatewayClass and its Gateway provider watches these kinds, but the chart
# no longer ships the CRDs. Applying them again is a no-op.
kubectl apply --server-side \
  -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/$GATEWAY_API_VERSION/standard-install.yaml"
kubectl wait --for condition=Established --timeout=60s \
  crd/gatewayclasses.gateway.networking.k8s.io crd/gateways.gateway.networking.k8s.io crd/httproutes.gateway.networking.k8s.io

echo "== cert-manager $CERT_MANAGER_VERSION"
helm upgrade --install cert-manager oci://quay.io/jetstack/charts/cert-manager --version "$CERT_MANAGER_VERSION" \
  --namespace cert-manager --create-namespace --values "$HERE/values/cert-manager.yaml" --wait

echo "== Traefik chart $TRAEFIK_CHART_VERSION"
helm upgrade --install traefik traefik/traefik --version "$TRAEFIK_CHART_VERSION" \
  --namespace traefik --create-namespace --values day2-k8s/cluster/traefik-values.yaml --wait

echo "== CloudNativePG operator chart $CLOUDNATIVE_PG_CHART_VERSION"
helm upgrade --install cnpg cnpg/cloudnative-pg --version "$CLOUDNATIVE_PG_CHART_VERSION" \
  --namespace cnpg-system --create-namespace --values "$HERE/values/cloudnative-pg.yaml" --wait

echo "Platform ready. Next: helm upgrade --install taskboard day3-helm/charts/taskboard -n taskboard --create-namespace -f day3-helm/environments/dev.yaml"
