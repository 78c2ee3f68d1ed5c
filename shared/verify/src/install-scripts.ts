import { parse } from 'yaml';
import { defineCheck, type Check, type Violation } from './check';
import { fileExists, readText } from './files';
import { GATEWAY_API_VERSION } from './k8s/schema/crds';

/*
 * Reading the course's bash install scripts (day2-k8s/cluster/up.sh, day3-helm/platform/install.sh) the way
 * bash runs them: one command per line after `\` continuations are joined, `readonly NAME=value` variables
 * expanded. Small on purpose: the scripts are straight-line, with no functions or loops around the installs.
 */

/** One command of a script, `\` continuations joined, with the 1-based line it starts on. */
export interface ScriptCommand {
  line: number;
  text: string;
}

export function scriptCommands(script: string): ScriptCommand[] {
  const lines = script.split('\n');
  const out: ScriptCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) continue;
    while (text.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      text = `${text.trimEnd().slice(0, -1)} ${lines[++i]!.trim()}`;
    }
    out.push({ line: start + 1, text: text.trim() });
  }
  return out;
}

/** The script's `readonly NAME=value` variables, quotes removed. */
export function scriptVariables(script: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const match of script.matchAll(/^readonly ([A-Z0-9_]+)=(\S+)/gm)) {
    vars.set(match[1]!, match[2]!.replace(/^['"]|['"]$/g, ''));
  }
  return vars;
}

/** `$NAME` and `${NAME}` replaced by the script's readonly values (unknown names are left as written). */
export function expandVariables(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => vars.get(name) ?? whole);
}

const GATEWAY_API_BUNDLE =
  /https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/([^/\s"']+)\/([a-z]+)-install\.yaml/;

const wantedCommand = (version: string) =>
  `kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml`;

/** Whether a Traefik values file turns on the Kubernetes Gateway API provider. */
function gatewayProviderEnabled(values: unknown): boolean {
  const providers = (values as { providers?: { kubernetesGateway?: { enabled?: unknown } } } | null)
    ?.providers;
  return providers?.kubernetesGateway?.enabled === true;
}

/**
 * The Traefik chart (v41 and later) renders a GatewayClass and Traefik watches Gateway API kinds whenever
 * `providers.kubernetesGateway.enabled` is on, but the chart no longer ships the CRDs (traefik-helm-chart
 * commit ab7dbb15). So the script must apply the Gateway API standard channel, at the version the course's
 * schemas describe, before its `helm upgrade --install traefik`.
 */
export function gatewayCrdsBeforeTraefikCheck(scriptFile: string, docs: string): Check {
  return defineCheck(
    `${scriptFile} applies the Gateway API ${GATEWAY_API_VERSION} standard-channel CRDs before installing Traefik with its Gateway provider on`,
    (root) => {
      const script = readText(root, scriptFile, { kind: 'install script' });
      const vars = scriptVariables(script);
      const commands = scriptCommands(script).map((c) => ({ ...c, text: expandVariables(c.text, vars) }));
      const traefik = commands.find((c) => /^helm (upgrade --install|install) traefik\s/.test(c.text));
      if (!traefik) return []; // no Traefik release here: nothing needs the Gateway API CRDs
      const words = traefik.text.split(/\s+/);
      const valuesFiles = words
        .flatMap((w, k) => (w === '--values' || w === '-f' ? [words[k + 1] ?? ''] : []))
        .map((f) => f.replace(/^['"]|['"]$/g, ''));
      const providerOn =
        /--set\s+\S*providers\.kubernetesGateway\.enabled=true/.test(traefik.text) ||
        valuesFiles.some((f) => fileExists(root, f) && gatewayProviderEnabled(parse(readText(root, f))));
      if (!providerOn) return [];

      const at = (c: ScriptCommand) => `line ${c.line}`;
      const traefikAt = `${at(traefik)}: the Traefik release, values ${valuesFiles.join(', ') || 'none'}`;
      const bundles = commands
        .filter((c) => /^kubectl apply\b/.test(c.text))
        .flatMap((c) => {
          const match = GATEWAY_API_BUNDLE.exec(c.text);
          return match ? [{ ...c, version: match[1]!, channel: match[2]! }] : [];
        });
      const violation = (
        object: string,
        details: Pick<Violation, 'expected' | 'actual' | 'fix'>,
      ): Violation => ({
        file: scriptFile,
        object,
        ...details,
        docs,
      });
      if (bundles.length === 0)
        return [
          violation(traefikAt, {
            expected: `${wantedCommand(GATEWAY_API_VERSION)} before this line`,
            actual:
              'no Gateway API CRDs are applied: the chart renders a GatewayClass, so the install fails with "no matches for kind GatewayClass"',
            fix: `apply the Gateway API ${GATEWAY_API_VERSION} standard channel (the version Traefik 3.7 documents) before the Traefik release`,
          }),
        ];
      const out: Violation[] = [];
      for (const bundle of bundles) {
        if (bundle.line > traefik.line)
          out.push(
            violation(at(bundle), {
              expected: `the Gateway API CRDs applied before the Traefik release at ${at(traefik)}`,
              actual: `applied after it: helm stops at the GatewayClass before this line runs`,
              fix: 'move the kubectl apply (and its wait) above the helm upgrade --install traefik line',
            }),
          );
        if (bundle.version !== GATEWAY_API_VERSION || bundle.channel !== 'standard')
          out.push(
            violation(at(bundle), {
              expected: `the standard channel of Gateway API ${GATEWAY_API_VERSION} (${GATEWAY_API_VERSION}/standard-install.yaml)`,
              actual: `${bundle.version}/${bundle.channel}-install.yaml`,
              fix: `pin ${GATEWAY_API_VERSION}: Traefik 3.7 documents it, and v1.4's standard channel lacks the TLSRoute CRD its provider watches`,
            }),
          );
      }
      return out;
    },
  );
}
