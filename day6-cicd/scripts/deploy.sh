#!/usr/bin/env bash
# Called by .github/workflows/deploy.yml, once per environment, with kubectl already pointing at the AKS cluster:
#   ENVIRONMENT=dev TAG=<git sha> REGISTRY=<acr>.azurecr.io APP_URL=https://... bash day6-cicd/scripts/deploy.sh
# 1. helm upgrade --install with --rollback-on-failure (Helm 4's name for Helm 3's --atomic) and --wait;
# 2. smoke test: helm test, then the public URL;
# 3. a failed smoke test rolls back to the revision that was running before, and the job fails.
set -euo pipefail

: "${ENVIRONMENT:?dev or prod}" "${TAG:?image tag (git SHA)}" "${REGISTRY:?ACR login server}" "${APP_URL:?public URL}"
readonly RELEASE=taskboard NAMESPACE=taskboard CHART=day3-helm/charts/taskboard
readonly VALUES="day3-helm/environments/$ENVIRONMENT.yaml"
[[ -f $VALUES ]] || { echo "deploy.sh: no values file $VALUES for environment $ENVIRONMENT" >&2; exit 1; }
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}

# The revision to return to; empty on the first install, where there is nothing to roll back to.
previous=$(helm history "$RELEASE" -n "$NAMESPACE" -o json 2>/dev/null |
  node -e 'const h = JSON.parse(require("fs").readFileSync(0, "utf8")); const d = h.filter((r) => r.status === "deployed").pop(); process.stdout.write(d ? String(d.revision) : "")' ||
  true)

echo "== helm upgrade --install $RELEASE ($ENVIRONMENT, tag $TAG)"
helm upgrade --install "$RELEASE" "$CHART" -n "$NAMESPACE" --create-namespace -f "$VALUES" \
  --set "api.image.repository=$REGISTRY/taskboard-api" --set "api.image.tag=$TAG" \
  --set "web.image.repository=$REGISTRY/taskboard-web" --set "web.image.tag=$TAG" \
  --rollback-on-failure --wait --timeout 10m

smoke() {
  helm test "$RELEASE" -n "$NAMESPACE" --timeout 5m &&
    curl --fail --silent --show-error --retry 10 --retry-delay 6 --retry-all-errors -o /dev/null "$APP_URL/"
}

if smoke; then
  echo "tag=$TAG" >>"${GITHUB_OUTPUT:-/dev/null}"
  revision=$(helm history "$RELEASE" -n "$NAMESPACE" --max 1 -o json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].revision')
  {
    echo "### Deployed to $ENVIRONMENT"
    echo "| URL | version (image tag) | Helm revision |"
    echo "| --- | --- | --- |"
    echo "| $APP_URL | \`$TAG\` | $revision |"
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
