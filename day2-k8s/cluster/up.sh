#!/usr/bin/env bash
# Steps 1-4 of the day 2 lab in one go, for a fresh laptop or the kind-based CI job:
#   bash day2-k8s/cluster/up.sh        (from the repository root; needs docker, kind, kubectl, helm, openssl, node)
# Then: VERIFY_CLUSTER=1 npm run verify:day2, or browse https://taskboard.localtest.me
set -euo pipefail

readonly CLUSTER=taskboard
# Gateway API standard channel, the version Traefik 3.7 documents (traefik/traefik docs/content/migrate/v3.md);
# v1.4's standard channel lacks TLSRoute, which Traefik 3.7's Gateway provider watches.
readonly GATEWAY_API_VERSION=v1.5.1
readonly CERT_MANAGER_VERSION=v1.21.2
readonly TRAEFIK_CHART_VERSION=41.5.0
readonly DAY=day2-k8s

for tool in docker kind kubectl helm openssl node; do
  command -v "$tool" >/dev/null || { echo "up.sh: $tool not found on PATH (see $DAY/README.md#prerequisites)" >&2; exit 1; }
done
[[ -f package.json && -d $DAY ]] || { echo "up.sh: run it from the repository root" >&2; exit 1; }

api_version=$(node -p "require('./shared/app/api/package.json').version")
web_version=$(node -p "require('./shared/app/web/package.json').version")

echo "== 1. cluster"
kind get clusters | grep -qx "$CLUSTER" || kind create cluster --config "$DAY/kind-cluster.yaml"

echo "== 2. Gateway API CRDs $GATEWAY_API_VERSION, cert-manager $CERT_MANAGER_VERSION and Traefik chart $TRAEFIK_CHART_VERSION"
# First: the Traefik chart renders a GatewayClass and Traefik watches Gateway API kinds, but the chart no longer
# ships their CRDs; without them `helm install traefik` fails with "no matches for kind GatewayClass".
kubectl apply --server-side \
  -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/$GATEWAY_API_VERSION/standard-install.yaml"
kubectl wait --for condition=Established --timeout=60s \
  crd/gatewayclasses.gateway.networking.k8s.io crd/gateways.gateway.networking.k8s.io crd/httproutes.gateway.networking.k8s.io
helm upgrade --install cert-manager oci://quay.io/jetstack/charts/cert-manager --version "$CERT_MANAGER_VERSION" \
  --namespace cert-manager --create-namespace --set crds.enabled=true --wait
helm repo add traefik https://traefik.github.io/charts --force-update >/dev/null
helm upgrade --install traefik traefik/traefik --version "$TRAEFIK_CHART_VERSION" \
  --namespace traefik --create-namespace --values "$DAY/cluster/traefik-values.yaml" --wait

echo "== 3. images taskboard-api:$api_version, taskboard-web:$web_version"
docker build -f day1-containers/api.Dockerfile -t "taskboard-api:$api_version" .
docker build -f day1-containers/web.Dockerfile -t "taskboard-web:$web_version" .
kind load docker-image "taskboard-api:$api_version" "taskboard-web:$web_version" --name "$CLUSTER"

echo "== 4. secret file (kept if it exists)"
secret_file="$DAY/base/secrets/postgres.env"
if [[ ! -f $secret_file ]]; then
  umask 077
  sed "s/^password=.*/password=$(openssl rand -hex 24)/" "$secret_file.example" >"$secret_file"
fi

echo "Ready. Apply with: kubectl apply -k $DAY/base"
