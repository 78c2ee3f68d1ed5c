#!/usr/bin/env bash
# Removes the day 2 kind cluster and everything in it:  bash day2-k8s/cluster/down.sh
set -euo pipefail
kind delete cluster --name taskboard
