#!/usr/bin/env bash
# Installs the day 4 observability stack into namespace "monitoring": kube-prometheus-stack, Loki and Alloy at
# exact chart versions, then the generated PrometheusRule and dashboards ConfigMap. Idempotent: run it again to
# apply a change. Usage (from the repository root): bash day4-observability/stack/install.sh
set -euo pipefail

day="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
namespace=monitoring

# Exact chart versions. Sources: kube-prometheus-stack Chart.yaml in prometheus-community/helm-charts
# (version 81.4.5, operator v0.88.0); grafana/loki tag helm-loki-6.46.0; grafana/alloy tag helm-chart/1.14.1.
kube_prometheus_stack_version=81.4.5
loki_version=6.46.0
alloy_version=1.14.1

helm repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update
helm repo add grafana https://grafana.github.io/helm-charts --force-update

kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f -

# Grafana's admin password: random, in a Secret, created once (re-running keeps it).
if ! kubectl -n "$namespace" get secret grafana-admin >/dev/null 2>&1; then
  kubectl -n "$namespace" create secret generic grafana-admin \
    --from-literal=admin-user=admin \
    --from-literal=admin-password="$(head -c 24 /dev/urandom | base64)"
fi

helm upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack \
  --version "$kube_prometheus_stack_version" --namespace "$namespace" \
  --values "$day/stack/kube-prometheus-stack.values.yaml" --wait --timeout 10m

helm upgrade --install loki grafana/loki \
  --version "$loki_version" --namespace "$namespace" \
  --values "$day/stack/loki.values.yaml" --wait --timeout 10m

helm upgrade --install alloy grafana/alloy \
  --version "$alloy_version" --namespace "$namespace" \
  --values "$day/stack/alloy.values.yaml" \
  --set-file alloy.configMap.content="$day/logs/config.alloy" --wait --timeout 5m

kubectl apply -f "$day/generated/taskboard.prometheusrule.yaml" -f "$day/generated/grafana-dashboards.configmap.yaml"
