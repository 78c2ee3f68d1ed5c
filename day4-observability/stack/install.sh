#!/usr/bin/env bash
# Installs the day 4 observability stack into namespace "monitoring": kube-prometheus-stack, Loki and Alloy at
# exact chart versions, then the generated PrometheusRule and dashboards ConfigMap. Idempotent: run it again to
# apply a change. Usage (from the repository root): bash day4-observability/stack/install.sh
set -euo pipefail

day="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
namespace=monitoring

# Exact chart versions, each read from the chart's Chart.yaml at its release tag:
# - kube-prometheus-stack 88.5.3: prometheus-community/helm-charts, tag kube-prometheus-stack-88.5.3
#   (appVersion v0.93.1, the Prometheus Operator it ships; its Grafana subchart is grafana-community's 12.11.1).
# - loki 18.11.0: grafana-community/helm-charts, tag loki-18.11.0 (appVersion 3.7.6). Loki's open-source chart
#   moved there on 2026-03-16; the grafana/loki chart left behind is for the enterprise product.
# - alloy 1.11.1: grafana/alloy, tag helm-chart/1.11.1, operations/helm/charts/alloy (appVersion v1.18.1).
kube_prometheus_stack_version=88.5.3
loki_version=18.11.0
alloy_version=1.11.1

helm repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update
helm repo add grafana-community https://grafana-community.github.io/helm-charts --force-update
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

helm upgrade --install loki grafana-community/loki \
  --version "$loki_version" --namespace "$namespace" \
  --values "$day/stack/loki.values.yaml" --wait --timeout 10m

helm upgrade --install alloy grafana/alloy \
  --version "$alloy_version" --namespace "$namespace" \
  --values "$day/stack/alloy.values.yaml" \
  --set-file alloy.configMap.content="$day/logs/config.alloy" --wait --timeout 5m

kubectl apply -f "$day/generated/taskboard.prometheusrule.yaml" -f "$day/generated/grafana-dashboards.configmap.yaml"
