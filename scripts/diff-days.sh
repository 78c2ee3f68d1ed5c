#!/usr/bin/env bash
# Shows what changes in the Kubernetes objects between two days' deployments.
#
# Usage:   bash scripts/diff-days.sh [--summary] <from-day> <to-day>      (or: npm run diff:days -- 2 3)
#
# Days with a deployment to render:
#   2  kubectl kustomize day2-k8s/base (git-ignored secret files taken from their .example)
#   3  helm template day3-helm/charts/taskboard -f day3-helm/environments/dev.yaml
#   4  day 3 plus day4-observability/taskboard-values.yaml (ServiceMonitor, CNPG PodMonitor)
#   7  the chart with day7-keyvault-aks/values-aks.yaml and the example Terraform output (ci/helm-values.example.json)
# Days 1, 5 and 6 deploy no Kubernetes objects (compose, Terraform, workflows), so there is nothing to render.
#
# Each object is normalised before the diff, so the diff shows design changes and not tool noise: keys sorted,
# tool-owned labels and annotations dropped (helm.sh/chart, managed-by, kustomize origins, checksums), and
# kustomize's content-hash suffix removed from ConfigMap and Secret names. One file per object
# (<Kind>/<name>.yaml, the name without Helm's "taskboard-" release prefix so that day 2's "api" pairs with day 3's
# "taskboard-api"), compared with `diff -ru`. Exit status: 0 when the diff was shown (whatever it contains),
# 2 on bad input or a render failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.tools/node/bin:$root/.tools/bin:$PATH"

usage() {
  printf 'usage: bash scripts/diff-days.sh [--summary] <from-day> <to-day>   (days with manifests: 2, 3, 4, 7)\n' >&2
  exit 2
}

summary=false
if [ "${1:-}" = "--summary" ]; then
  summary=true
  shift
fi
[ "$#" -eq 2 ] || usage

need() {
  command -v "$1" >/dev/null 2>&1 || {
    printf 'diff-days: %s not found on PATH; run: bash scripts/bootstrap-tools.sh\n' "$1" >&2
    exit 2
  }
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Writes the day's rendered objects, as one multi-document YAML stream, to stdout.
render_day() {
  local day="$1"
  case "$day" in
    2)
      need kubectl
      # Render a copy, so the learner's own (git-ignored) secret file is neither needed nor read.
      local copy="$work/day2-src"
      rm -rf "$copy"
      cp -R "$root/day2-k8s" "$copy"
      local example
      while IFS= read -r -d '' example; do
        cp "$example" "${example%.example}"
      done < <(find "$copy" -name '*.example' -print0)
      kubectl kustomize "$copy/base"
      ;;
    3)
      need helm
      helm template taskboard "$root/day3-helm/charts/taskboard" --namespace taskboard \
        -f "$root/day3-helm/environments/dev.yaml"
      ;;
    4)
      need helm
      helm template taskboard "$root/day3-helm/charts/taskboard" --namespace taskboard \
        -f "$root/day3-helm/environments/dev.yaml" -f "$root/day4-observability/taskboard-values.yaml"
      ;;
    7)
      need helm
      helm template taskboard "$root/day3-helm/charts/taskboard" --namespace taskboard \
        -f "$root/day7-keyvault-aks/values-aks.yaml" -f "$root/day7-keyvault-aks/ci/helm-values.example.json"
      ;;
  esac
}

for day in "$@"; do
  case "$day" in
    2 | 3 | 4 | 7) ;;
    1 | 5 | 6)
      printf 'diff-days: day %s deploys no Kubernetes objects (compose, Terraform or workflows); choose from 2, 3, 4, 7\n' "$day" >&2
      exit 2
      ;;
    *)
      printf 'diff-days: "%s" is not a day with manifests; choose from 2, 3, 4, 7\n' "$day" >&2
      exit 2
      ;;
  esac
done

# Splits a YAML stream into <out>/<Kind>/<name>.yaml, normalised as described at the top.
split_normalised() {
  local stream="$1" out="$2"
  need node
  node - "$root" "$stream" "$out" <<'NODE'
const { createRequire } = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const [root, streamFile, outDir] = process.argv.slice(2);
const YAML = createRequire(path.join(root, 'shared/verify/package.json'))('yaml');

const droppedLabels = ['helm.sh/chart', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version',
  'app.kubernetes.io/instance'];
const droppedAnnotation = (key) => key === 'config.kubernetes.io/origin' || key.startsWith('checksum/');
const hashSuffix = /-[a-z0-9]{10}$/; // kustomize's generator hash, e.g. api-config-5t7k9m2c4b

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
  }
  return value;
}

function clean(node) {
  if (Array.isArray(node)) return node.forEach(clean);
  if (!node || typeof node !== 'object') return;
  for (const key of ['labels', 'matchLabels']) {
    if (node[key] && typeof node[key] === 'object') {
      for (const label of droppedLabels) delete node[key][label];
      if (Object.keys(node[key]).length === 0) delete node[key];
    }
  }
  if (node.annotations && typeof node.annotations === 'object') {
    for (const key of Object.keys(node.annotations)) if (droppedAnnotation(key)) delete node.annotations[key];
    if (Object.keys(node.annotations).length === 0) delete node.annotations;
  }
  Object.values(node).forEach(clean);
}

const generated = new Set();
const docs = YAML.parseAllDocuments(fs.readFileSync(streamFile, 'utf8'))
  .map((doc) => {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    return doc.toJS();
  })
  .filter((obj) => obj && obj.kind);
for (const obj of docs) {
  if ((obj.kind === 'ConfigMap' || obj.kind === 'Secret') && hashSuffix.test(obj.metadata.name)) {
    generated.add(obj.metadata.name);
  }
}
// References to a generated name (envFrom, volumes) lose the suffix too, so both days compare equal.
const unhash = (text) =>
  [...generated].reduce((acc, name) => acc.split(name).join(name.replace(hashSuffix, '')), text);

for (const obj of docs) {
  clean(obj);
  // Pair objects across days by kind and name without Helm's release prefix: day 2's Deployment "api" and day 3's
  // "taskboard-api" land in the same file, so the diff shows their differences (the name change included).
  const key = unhash(obj.metadata.name).replace(/^taskboard-(?=.)/, '');
  const file = path.join(outDir, obj.kind, `${key}.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, unhash(YAML.stringify(sortKeys(obj), { lineWidth: 0 })));
}
NODE
}

dirs=()
for side in from to; do
  day="$1"
  shift
  if ! render_day "$day" >"$work/$side.yaml" 2>"$work/$side.err"; then
    printf 'diff-days: rendering day %s failed:\n' "$day" >&2
    cat "$work/$side.err" >&2
    exit 2
  fi
  mkdir -p "$work/day$day-$side"
  split_normalised "$work/$side.yaml" "$work/day$day-$side"
  dirs+=("day$day-$side")
done
from_dir="${dirs[0]}"
to_dir="${dirs[1]}"

cd "$work"
if $summary; then
  (cd "$from_dir" && find . -type f | sort) >from.list
  (cd "$to_dir" && find . -type f | sort) >to.list
  comm -23 from.list to.list | sed 's#^\./#removed:   #'
  comm -13 from.list to.list | sed 's#^\./#added:     #'
  comm -12 from.list to.list | while IFS= read -r object; do
    if cmp -s "$from_dir/$object" "$to_dir/$object"; then
      printf 'unchanged: %s\n' "${object#./}"
    else
      printf 'changed:   %s\n' "${object#./}"
    fi
  done
else
  # diff exits 1 when the days differ, which is the expected answer; file timestamps are noise, so they go.
  { diff -ru --new-file "$from_dir" "$to_dir" || [ "$?" -eq 1 ]; } | sed -E 's/^(---|\+\+\+) ([^\t]+)\t.*$/\1 \2/'
fi
