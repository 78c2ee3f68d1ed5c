{{/*
taskboard.name: the chart name, or nameOverride. Truncated to 63 characters (the DNS label limit).
*/}}
{{- define "taskboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
taskboard.fullname: the prefix of every object name. The release name alone when it already contains the
chart name (release "taskboard" gives "taskboard-api", not "taskboard-taskboard-api"). Truncated to 63.
*/}}
{{- define "taskboard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
taskboard.componentName: "<fullname>-<component>", truncated so the suffix always survives.
Usage: include "taskboard.componentName" (dict "ctx" $ "component" "api")
*/}}
{{- define "taskboard.componentName" -}}
{{- $suffix := printf "-%s" .component }}
{{- printf "%s%s" (include "taskboard.fullname" .ctx | trunc (int (sub 63 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{/*
taskboard.chart: chart name and version, for the helm.sh/chart label.
*/}}
{{- define "taskboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
taskboard.selectorLabels: the immutable labels a Deployment selects its pods by and a Service routes on.
Deployments, Services, PDBs and NetworkPolicies must all use this one helper, or a Service loses its endpoints.
Usage: include "taskboard.selectorLabels" (dict "ctx" $ "component" "api")
*/}}
{{- define "taskboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "taskboard.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
taskboard.labels: every object's labels: the selector labels plus chart, version, manager and commonLabels.
Usage: include "taskboard.labels" (dict "ctx" $ "component" "api")
*/}}
{{- define "taskboard.labels" -}}
helm.sh/chart: {{ include "taskboard.chart" .ctx }}
{{ include "taskboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: taskboard
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
taskboard.serviceAccountName: the ServiceAccount the pods run as.
*/}}
{{- define "taskboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "taskboard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
taskboard.cnpgClusterName: the CloudNativePG Cluster; the operator names its Services "<name>-rw" and the
application Secret "<name>-app".
*/}}
{{- define "taskboard.cnpgClusterName" -}}
{{- include "taskboard.componentName" (dict "ctx" . "component" "db") }}
{{- end }}

{{/*
taskboard.dbSecretName: the Secret holding the database password, and taskboard.dbSecretKey its key.
cnpg: the operator's "<cluster>-app" (key "password"); external: secrets.existingSecret or the chart's Secret.
*/}}
{{- define "taskboard.dbSecretName" -}}
{{- if eq .Values.postgresql.mode "cnpg" }}
{{- printf "%s-app" (include "taskboard.cnpgClusterName" .) }}
{{- else if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- include "taskboard.componentName" (dict "ctx" . "component" "db") }}
{{- end }}
{{- end }}

{{- define "taskboard.dbSecretKey" -}}
{{- if eq .Values.postgresql.mode "cnpg" }}password{{ else }}{{ .Values.secrets.passwordKey }}{{ end }}
{{- end }}

{{/*
taskboard.validate: rules the JSON schema cannot express, failed at render time with the value to change.
*/}}
{{- define "taskboard.validate" -}}
{{- if eq .Values.secrets.mode "keyvault" }}
{{- $kv := .Values.secrets.keyvault }}
{{- if ne .Values.postgresql.mode "external" }}
{{- fail "secrets.mode=keyvault needs postgresql.mode=external: CloudNativePG keeps its password in a Kubernetes Secret" }}
{{- end }}
{{- if or .Values.postgresql.external.password .Values.secrets.existingSecret }}
{{- fail "secrets.mode=keyvault reads the password from Key Vault: leave postgresql.external.password and secrets.existingSecret empty" }}
{{- end }}
{{- if not (and $kv.clientId $kv.tenantId $kv.vaultName) }}
{{- fail "secrets.mode=keyvault needs secrets.keyvault.clientId, tenantId and vaultName (day 7: terraform output -json helm_values)" }}
{{- end }}
{{- if not .Values.serviceAccount.create }}
{{- fail "secrets.mode=keyvault needs serviceAccount.create=true: the chart annotates it with the workload identity client id" }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled .Values.gateway.enabled }}
{{- fail "ingress.enabled and gateway.enabled are both true: publish the host once; set ingress.enabled=false with gateway.enabled=true" }}
{{- end }}
{{- if eq .Values.postgresql.mode "external" }}
{{- if not .Values.postgresql.external.host }}
{{- fail "postgresql.mode=external needs postgresql.external.host (the PostgreSQL server's host name)" }}
{{- end }}
{{- if and (eq .Values.secrets.mode "kubernetes") (not .Values.secrets.existingSecret) (not .Values.postgresql.external.password) }}
{{- fail "postgresql.mode=external needs secrets.existingSecret (preferred) or postgresql.external.password" }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (not .Values.postgresql.external.cidr) }}
{{- fail "postgresql.mode=external with networkPolicy.enabled needs postgresql.external.cidr (the database's address range)" }}
{{- end }}
{{- end }}
{{- if and .Values.gateway.enabled (not .Values.gateway.createGateway) (not .Values.gateway.parentRef.name) }}
{{- fail "gateway.createGateway=false needs gateway.parentRef.name (the Gateway to attach the HTTPRoute to)" }}
{{- end }}
{{- end }}

{{/*
taskboard.dbEnv: the PostgreSQL settings of the API and the migrate Job. Non-secret ones come from the
ConfigMap; the password from a Secret, never a literal.
*/}}
{{- define "taskboard.dbEnv" -}}
{{- if eq .Values.secrets.mode "keyvault" }}
# The CSI driver writes the Key Vault secret to this file and rewrites it on rotation; the API re-reads it for
# every new database connection.
- name: PGPASSWORD_FILE
  value: {{ include "taskboard.keyvaultPasswordFile" . | quote }}
{{- else }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "taskboard.dbSecretName" . }}
      key: {{ include "taskboard.dbSecretKey" . }}
{{- end }}
{{- with .Values.api.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
taskboard.migrateEnv: the migrate hook's PostgreSQL settings, inline rather than from the ConfigMap, which a
pre-install hook runs before.
*/}}
{{- define "taskboard.migrateEnv" -}}
{{ include "taskboard.migrateHostEnv" . }}
{{ include "taskboard.dbEnv" . }}
{{- end }}

{{/*
taskboard.migrateHostEnv: where the database is, without the password (the wait-for-database init container).
*/}}
{{- define "taskboard.migrateHostEnv" -}}
{{- if eq .Values.postgresql.mode "cnpg" }}
- name: PGHOST
  value: {{ printf "%s-rw" (include "taskboard.cnpgClusterName" .) | quote }}
- name: PGPORT
  value: '5432'
- name: PGUSER
  value: {{ .Values.postgresql.cnpg.owner | quote }}
- name: PGDATABASE
  value: {{ .Values.postgresql.cnpg.database | quote }}
{{- else }}
- name: PGHOST
  value: {{ .Values.postgresql.external.host | quote }}
- name: PGPORT
  value: {{ .Values.postgresql.external.port | quote }}
- name: PGUSER
  value: {{ .Values.postgresql.external.user | quote }}
- name: PGDATABASE
  value: {{ .Values.postgresql.external.database | quote }}
{{- end }}
{{- end }}

{{/*
taskboard.keyvaultPasswordFile: the password file inside the CSI mount: <mountPath>/<passwordSecretName>.
*/}}
{{- define "taskboard.keyvaultPasswordFile" -}}
{{- printf "%s/%s" .Values.secrets.keyvault.mountPath .Values.secrets.keyvault.passwordSecretName }}
{{- end }}

{{/*
taskboard.secretProviderClassName: the SecretProviderClass of the API pods; the migrate hook uses "<name>-migrate".
*/}}
{{- define "taskboard.secretProviderClassName" -}}
{{- include "taskboard.componentName" (dict "ctx" . "component" "keyvault") }}
{{- end }}

{{/*
taskboard.keyvaultPodLabels: the pod label the workload identity webhook selects (keyvault mode only).
*/}}
{{- define "taskboard.keyvaultPodLabels" -}}
{{- if eq .Values.secrets.mode "keyvault" }}
azure.workload.identity/use: "true"
{{- end }}
{{- end }}

{{/*
taskboard.keyvaultVolumeMount and taskboard.keyvaultVolume: the read-only CSI volume (keyvault mode only).
Usage: include "taskboard.keyvaultVolume" (dict "ctx" $ "spc" <SecretProviderClass name>)
*/}}
{{- define "taskboard.keyvaultVolumeMount" -}}
{{- if eq .Values.secrets.mode "keyvault" }}
- name: keyvault-secrets
  mountPath: {{ .Values.secrets.keyvault.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "taskboard.keyvaultVolume" -}}
{{- if eq .ctx.Values.secrets.mode "keyvault" }}
- name: keyvault-secrets
  csi:
    driver: secrets-store.csi.k8s.io
    readOnly: true
    volumeAttributes:
      secretProviderClass: {{ .spc }}
{{- end }}
{{- end }}

{{/*
taskboard.keyvaultSpec: the SecretProviderClass spec: the azure provider fetches the objects with the workload
identity (clientID) of the pod's ServiceAccount. Object names are Key Vault secret names and the file names.
*/}}
{{- define "taskboard.keyvaultSpec" -}}
{{- $kv := .Values.secrets.keyvault -}}
provider: azure
parameters:
  usePodIdentity: "false"
  clientID: {{ $kv.clientId | quote }}
  keyvaultName: {{ $kv.vaultName | quote }}
  tenantId: {{ $kv.tenantId | quote }}
  objects: |
    array:
      - |
        objectName: {{ $kv.passwordSecretName }}
        objectType: secret
{{- end }}
