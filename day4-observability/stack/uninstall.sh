#!/usr/bin/env bash
# Removes everything stack/install.sh installed, including the Prometheus Operator CRDs the chart does not delete.
set -euo pipefail

day="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
namespace=monitoring

kubectl delete -f "$day/generated/taskboard.prometheusrule.yaml" -f "$day/generated/grafana-dashboards.configmap.yaml" --ignore-not-found
helm uninstall alloy loki kube-prometheus-stack --namespace "$namespace" --ignore-not-found
kubectl delete namespace "$namespace" --ignore-not-found
kubectl get crd -o name | grep 'monitoring.coreos.com' | xargs -r kubectl delete
