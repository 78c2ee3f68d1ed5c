#!/usr/bin/env bash
# Called by .github/workflows/deploy.yml, once per environment, with kubectl already pointing at that environment's
# AKS cluster (day 7; see docs/decisions/0011-day6-deploy-target.md for why the deploy starts on day 7):
#   ENVIRONMENT=dev TAG=<git sha> REGISTRY=<acr>.azurecr.io HELM_VALUES="$(terraform output -json helm_values)" \
#     [APP_URL=https://...] bash day6-cicd/scripts/deploy.sh
# 1. helm upgrade --install with day 7's overlay, then the Terraform values, --rollback-on-failure (Helm 4's name
#    for Helm 3's --atomic) and --wait;
# 2. smoke test: helm test in the cluster, then the public URL when there is one;
# 3. a failed smoke test rolls back to the revision that was running before, and the job fails.
set -euo pipefail

: "${ENVIRONMENT:?dev or prod}" "${TAG:?image tag (git SHA)}" "${REGISTRY:?ACR login server that release.yml pushed to}"
: "${HELM_VALUES:?the JSON of terraform output -json helm_values (day 7), environment variable HELM_VALUES}"
readonly RELEASE=taskboard NAMESPACE=taskboard CHART=day3-helm/charts/taskboard
# The AKS overlay: Key Vault mode, the external PostgreSQL, no Ingress or cert-manager objects. Not day 3's
# environments/*.yaml: those render a CNPG Cluster, a Certificate and a ClusterIssuer that no AKS operator serves.
readonly AKS_VALUES=day7-keyvault-aks/values-aks.yaml
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}

terraform_values=$(mktemp --suffix=.json)
trap 'rm -f "$terraform_values"' EXIT
printf '%s\n' "$HELM_VALUES" >"$terraform_values"

# The image repositories come from the Terraform values: day 7's registry, where the kubelet has AcrPull. Stop
# before helm if release.yml pushed somewhere else, or the pods would sit in ImagePullBackOff (401).
registries=$(node -e '
  const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const hosts = [v.api?.image?.repository, v.web?.image?.repository].map((r) => String(r ?? "").split("/")[0]);
  process.stdout.write([...new Set(hosts)].join(" "));
' "$terraform_values") || { echo "deploy.sh: HELM_VALUES is not the JSON of terraform output -json helm_values" >&2; exit 1; }
if [[ $registries != "$REGISTRY" ]]; then
  echo "::error title=wrong registry::release.yml pushed to $REGISTRY; the AKS kubelet pulls from $registries. Set ACR_NAME and ACR_LOGIN_SERVER to day 7's registry (day7-keyvault-aks/README.md#6-deploy-from-the-pipeline)." >&2
  exit 1
fi

# The revision to return to; empty on the first install, where there is nothing to roll back to.
previous=$(helm history "$RELEASE" -n "$NAMESPACE" -o json 2>/dev/null |
  node -e 'const h = JSON.parse(require("fs").readFileSync(0, "utf8")); const d = h.filter((r) => r.status === "deployed").pop(); process.stdout.write(d ? String(d.revision) : "")' ||
  true)

# No --create-namespace: the pipeline may write inside the namespace only (RBAC Writer scoped to it), so the
# cluster admin creates the namespace once (day 7 README, step 6).
echo "== helm upgrade --install $RELEASE ($ENVIRONMENT, tag $TAG)"
helm upgrade --install "$RELEASE" "$CHART" -n "$NAMESPACE" -f "$AKS_VALUES" -f "$terraform_values" \
  --set "api.image.tag=$TAG" --set "web.image.tag=$TAG" \
  --rollback-on-failure --wait --timeout 10m

smoke() {
  helm test "$RELEASE" -n "$NAMESPACE" --timeout 5m || return 1
  # Day 7 publishes no Ingress: helm test (readiness, a task round trip, the SPA) is the whole smoke test there.
  if [[ -z ${APP_URL:-} ]]; then
    echo "::notice title=no public URL::$ENVIRONMENT has no APP_URL; the in-cluster helm test was the smoke test"
    return 0
  fi
  curl --fail --silent --show-error --retry 10 --retry-delay 6 --retry-all-errors -o /dev/null "$APP_URL/"
}

if smoke; then
  echo "tag=$TAG" >>"${GITHUB_OUTPUT:-/dev/null}"
  revision=$(helm history "$RELEASE" -n "$NAMESPACE" --max 1 -o json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].revision')
  {
    echo "### Deployed to $ENVIRONMENT"
    echo "| URL | version (image tag) | Helm revision |"
    echo "| --- | --- | --- |"
    echo "| ${APP_URL:-none (helm test in the cluster)} | \`$TAG\` | $revision |"
  } >>"$summary"
  exit 0
fi

echo "::error title=smoke test failed::$ENVIRONMENT: the smoke test failed for tag $TAG"
if [[ -n $previous ]]; then
  helm rollback "$RELEASE" "$previous" -n "$NAMESPACE" --wait --timeout 10m
  echo "### $ENVIRONMENT: smoke test failed for \`$TAG\`; rolled back to revision $previous" >>"$summary"
else
  echo "### $ENVIRONMENT: smoke test failed for \`$TAG\` on the first install; nothing to roll back to" >>"$summary"
fi
exit 1
