import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { defineCheck, type Check, type Violation } from '@taskboard/verify/src/check';
import { fileExists, readText, readYaml } from '@taskboard/verify/src/files';
import { gatewayCrdsBeforeTraefikCheck } from '@taskboard/verify/src/install-scripts';
import { isRecord } from '@taskboard/verify/src/k8s';
import { CHART, DAY, helmErrors, helmLint, runHelm } from './helm';

/*
 * Checks of the chart's files and of the platform install, beside the rendered-object checks of checks.ts:
 * the STYLE.md file set, documented values, a strict schema, schema rejections, exact community chart pins,
 * and that the chart packages.
 */

const docs = (section: string) => `${DAY}/README.md#${section}`;
const violation = (
  file: string,
  object: string,
  section: string,
  details: Pick<Violation, 'expected' | 'actual' | 'fix'>,
): Violation => ({ file, object, ...details, docs: docs(section) });

export const PLATFORM_SCRIPT = `${DAY}/platform/install.sh`;
export const SCHEMA_REJECTIONS = `${DAY}/tests/schema-rejections`;
export const REQUIRED_SCENARIOS = ['minimal', 'production', 'external-db', 'gateway'] as const;

/** An exact chart version: 1.2.3 or v1.2.3, optionally with a pre-release; no ranges, wildcards or `latest`. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export interface PlatformRelease {
  release: string;
  chart: string;
  /** The `--version` argument as written, e.g. `"$TRAEFIK_CHART_VERSION"`. */
  versionArg?: string;
  /** The version it resolves to through the script's `readonly NAME=value` lines. */
  version?: string;
  valuesFiles: string[];
  line: number;
}

/** The `helm upgrade --install` releases of a script, with `\` continuations joined. */
export function platformReleases(script: string): { releases: PlatformRelease[]; vars: Map<string, string> } {
  const vars = new Map<string, string>();
  for (const match of script.matchAll(/^readonly ([A-Z0-9_]+)=(\S+)/gm)) {
    vars.set(match[1]!, match[2]!.replace(/^['"]|['"]$/g, ''));
  }
  const releases: PlatformRelease[] = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*helm upgrade --install\b/.test(lines[i]!)) continue;
    let command = lines[i]!;
    let j = i;
    while (command.trimEnd().endsWith('\\') && j + 1 < lines.length) {
      command = `${command.trimEnd().slice(0, -1)} ${lines[++j]!.trim()}`;
    }
    const words = command.trim().split(/\s+/);
    const [release, chart] = words.slice(3, 5);
    const versionAt = words.indexOf('--version');
    const versionArg = versionAt >= 0 ? words[versionAt + 1] : undefined;
    const name = versionArg?.replace(/^"?\$\{?([A-Z0-9_]+)\}?"?$/, '$1');
    const version =
      versionArg && name !== versionArg ? vars.get(name!) : versionArg?.replace(/^['"]|['"]$/g, '');
    const valuesFiles = words
      .flatMap((w, k) => (w === '--values' || w === '-f' ? [words[k + 1] ?? ''] : []))
      .map((f) => f.replace(/^"|"$/g, '').replace(/\$HERE/g, `${DAY}/platform`));
    releases.push({
      release: release ?? '?',
      chart: chart ?? '?',
      versionArg,
      version,
      valuesFiles,
      line: i + 1,
    });
  }
  return { releases, vars };
}

/** Values keys without a comment (on the line before, or at the end of the line), for schema-declared settings. */
export function undocumentedKeys(text: string, schema: unknown): string[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lines = text.split('\n');
  const missing: string[] = [];
  const visit = (map: YAMLMap, node: unknown, prefix: string) => {
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const keyPath = prefix ? `${prefix}.${key}` : key;
      const line = counter.linePos(pair.key.range?.[0] ?? 0).line; // 1-based
      const before = lines[line - 2]?.trim() ?? '';
      const own = lines[line - 1] ?? '';
      if (!before.startsWith('#') && !/\s#\s/.test(own)) missing.push(keyPath);
      const child = isRecord(node) && isRecord(node.properties) ? node.properties[key] : undefined;
      // Descend only into settings the schema spells out inline; $ref'd and free-form values are documented at their key.
      if (isMap(pair.value) && isRecord(child) && isRecord(child.properties) && child.$ref === undefined) {
        visit(pair.value, child, keyPath);
      }
    }
  };
  if (isMap(doc.contents)) visit(doc.contents, schema, '');
  return missing;
}

/** Schema objects that are not strict (`additionalProperties: false`) or properties without a description. */
export function looseSchemaNodes(schema: unknown, at = '#'): string[] {
  if (!isRecord(schema)) return [];
  const out: string[] = [];
  if (isRecord(schema.properties)) {
    if (schema.additionalProperties !== false) out.push(`${at}: additionalProperties is not false`);
    for (const [key, child] of Object.entries(schema.properties)) {
      if (!isRecord(child) || typeof child.description !== 'string' || child.description === '') {
        out.push(`${at}/properties/${key}: no description`);
      }
      out.push(...looseSchemaNodes(child, `${at}/properties/${key}`));
    }
  }
  if (isRecord(schema.$defs)) {
    for (const [key, child] of Object.entries(schema.$defs))
      out.push(...looseSchemaNodes(child, `${at}/$defs/${key}`));
  }
  return out;
}

const HELPERS = ['name', 'fullname', 'labels', 'selectorLabels', 'serviceAccountName'] as const;

export function repositoryChecks(helm: () => string): Check[] {
  return [
    defineCheck(
      'Chart.yaml is apiVersion v2 with an exact version and appVersion equal to the API package version',
      (root) => {
        const file = `${CHART}/Chart.yaml`;
        const chart = readYaml(root, file) as Record<string, unknown>;
        const api = (JSON.parse(readText(root, 'shared/app/api/package.json')) as { version: string })
          .version;
        const out: Violation[] = [];
        if (chart.apiVersion !== 'v2')
          out.push(
            violation(file, 'apiVersion', 'verify', {
              expected: 'v2 (Helm 3 and 4 charts)',
              actual: String(chart.apiVersion),
              fix: 'set apiVersion: v2',
            }),
          );
        if (!EXACT_VERSION.test(String(chart.version)))
          out.push(
            violation(file, 'version', 'verify', {
              expected: 'an exact SemVer version, bumped on every chart change',
              actual: String(chart.version),
              fix: 'set version: <major>.<minor>.<patch>',
            }),
          );
        if (String(chart.appVersion) !== api)
          out.push(
            violation(file, 'appVersion', 'step-4-upgrade-to-a-new-image-tag', {
              expected: `${api} (shared/app/api/package.json)`,
              actual: String(chart.appVersion),
              fix: `set appVersion: '${api}'`,
            }),
          );
        return out;
      },
    ),
    defineCheck(
      `the chart has the STYLE.md file set and the ${REQUIRED_SCENARIOS.join(', ')} ci scenarios`,
      (root) => {
        const wanted = [
          'Chart.yaml',
          'values.yaml',
          'values.schema.json',
          'templates/_helpers.tpl',
          'templates/NOTES.txt',
          ...REQUIRED_SCENARIOS.map((s) => `ci/${s}-values.yaml`),
        ];
        const out = wanted
          .filter((f) => !fileExists(root, `${CHART}/${f}`))
          .map((f) =>
            violation(`${CHART}/${f}`, 'chart file', 'verify', {
              expected: 'the file to exist',
              actual: 'missing',
              fix: `restore ${f}`,
            }),
          );
        const tests = fileExists(root, `${CHART}/templates/tests`)
          ? readdirSync(path.join(root, CHART, 'templates/tests'))
          : [];
        if (tests.length === 0)
          out.push(
            violation(`${CHART}/templates/tests`, 'helm test', 'step-7-helm-test', {
              expected: 'a helm test pod template',
              actual: 'none',
              fix: 'add templates/tests/test-connection.yaml',
            }),
          );
        return out;
      },
    ),
    defineCheck('values.yaml starts with the yaml-language-server schema modeline', (root) => {
      const file = `${CHART}/values.yaml`;
      const first = readText(root, file).split('\n')[0] ?? '';
      return first === '# yaml-language-server: $schema=values.schema.json'
        ? []
        : [
            violation(file, 'line 1', 'step-6-values-layering', {
              expected: '# yaml-language-server: $schema=values.schema.json',
              actual: first,
              fix: 'put the modeline on the first line, so editors validate values as you type',
            }),
          ];
    }),
    defineCheck('every setting in values.yaml has a comment', (root) => {
      const file = `${CHART}/values.yaml`;
      const schema = JSON.parse(readText(root, `${CHART}/values.schema.json`)) as unknown;
      return undocumentedKeys(readText(root, file), schema).map((key) =>
        violation(file, key, 'step-6-values-layering', {
          expected: 'a `# --` comment above the key saying what it does',
          actual: 'no comment',
          fix: `document ${key}`,
        }),
      );
    }),
    defineCheck(
      'values.schema.json is strict: additionalProperties false and a description on every property',
      (root) => {
        const file = `${CHART}/values.schema.json`;
        return looseSchemaNodes(JSON.parse(readText(root, file))).map((node) =>
          violation(file, node.split(':')[0]!, 'step-6-values-layering', {
            expected: 'additionalProperties: false and a description',
            actual: node,
            fix: 'close the object and describe the property',
          }),
        );
      },
    ),
    defineCheck(
      `_helpers.tpl defines ${HELPERS.join(', ')}, each with a doc comment, and fullname truncates to 63`,
      (root) => {
        const file = `${CHART}/templates/_helpers.tpl`;
        const text = readText(root, file);
        const out: Violation[] = [];
        for (const helper of HELPERS) {
          const define = new RegExp(`\\*/\\}\\}\\s*\\{\\{-? define "taskboard\\.${helper}" -?\\}\\}`);
          if (!define.test(text))
            out.push(
              violation(file, `taskboard.${helper}`, 'verify', {
                expected: `{{/* doc */}} followed by {{- define "taskboard.${helper}" -}}`,
                actual: text.includes(`"taskboard.${helper}"`)
                  ? 'defined without a doc comment'
                  : 'not defined',
                fix: `define taskboard.${helper} with a comment saying what it returns`,
              }),
            );
        }
        const fullname =
          /define "taskboard\.fullname"[\s\S]*?\{\{- end \}\}\n\{\{- end \}\}/.exec(text)?.[0] ?? '';
        if ((fullname.match(/trunc 63/g) ?? []).length < 2)
          out.push(
            violation(file, 'taskboard.fullname', 'verify', {
              expected: 'every branch truncated with trunc 63 (DNS label limit)',
              actual: 'a branch without trunc 63',
              fix: 'pipe each branch through | trunc 63 | trimSuffix "-"',
            }),
          );
        return out;
      },
    ),
    defineCheck('NOTES.txt prints the exact rollout, access and helm test commands', (root) => {
      const result = runHelm(
        helm(),
        ['install', 'taskboard', CHART, '--namespace', 'taskboard', '--dry-run=client'],
        root,
      );
      const notes = result.stdout.split('NOTES:')[1] ?? '';
      const wanted = [
        'kubectl -n taskboard rollout status deployment/taskboard-api',
        'https://taskboard.localtest.me/',
        'helm test taskboard -n taskboard',
      ];
      const missing = wanted.filter((w) => !notes.includes(w));
      return missing.length === 0 && result.status === 0
        ? []
        : [
            violation(`${CHART}/templates/NOTES.txt`, 'rendered notes', 'step-3-install-the-app', {
              expected: wanted.join(' | '),
              actual: result.status === 0 ? `missing: ${missing.join(' | ')}` : result.stderr.trim(),
              fix: 'print the commands a learner copies after install',
            }),
          ];
    }),
    defineCheck(
      'every values file under tests/schema-rejections is rejected by values.schema.json with its expected message',
      (root) => {
        const out: Violation[] = [];
        const files = readdirSync(path.join(root, SCHEMA_REJECTIONS))
          .filter((f) => f.endsWith('.yaml'))
          .sort();
        if (files.length === 0)
          out.push(
            violation(SCHEMA_REJECTIONS, 'folder', 'break-it-fix-it', {
              expected: 'bad values files',
              actual: 'none',
              fix: 'restore the rejection fixtures',
            }),
          );
        for (const name of files) {
          const file = `${SCHEMA_REJECTIONS}/${name}`;
          const expectLine = /^# expect: (.+)$/m.exec(readText(root, file))?.[1]?.trim();
          const result = helmLint(helm(), root, { valuesFiles: [file] });
          const errors = helmErrors(result);
          if (!expectLine) {
            out.push(
              violation(file, 'header', 'break-it-fix-it', {
                expected: 'a `# expect: <error fragment>` line',
                actual: 'none',
                fix: 'say which error the file must cause',
              }),
            );
          } else if (result.status === 0) {
            out.push(
              violation(file, 'helm lint --strict', 'break-it-fix-it', {
                expected: `rejected with "${expectLine}"`,
                actual: 'accepted: the schema lets this bad value through',
                fix: 'tighten values.schema.json (type, enum, pattern, required or additionalProperties)',
              }),
            );
          } else if (!errors.includes(expectLine)) {
            out.push(
              violation(file, 'helm lint --strict', 'break-it-fix-it', {
                expected: `an error containing "${expectLine}"`,
                actual: errors,
                fix: 'the file is rejected for another reason: make it break one rule only',
              }),
            );
          }
        }
        return out;
      },
    ),
    defineCheck(
      'every platform chart is installed as its own release, pinned to an exact version (no ranges), with a committed values file',
      (root) => {
        const { releases } = platformReleases(readText(root, PLATFORM_SCRIPT));
        const out: Violation[] = [];
        if (releases.length < 3)
          out.push(
            violation(PLATFORM_SCRIPT, 'helm upgrade --install lines', 'step-1-install-the-platform', {
              expected: 'one release each for cert-manager, Traefik and CloudNativePG',
              actual: releases.map((r) => r.release).join(', ') || 'none',
              fix: 'restore the install lines',
            }),
          );
        for (const r of releases) {
          const where = `line ${r.line}: release ${r.release} (${r.chart})`;
          if (!r.version || !EXACT_VERSION.test(r.version)) {
            out.push(
              violation(PLATFORM_SCRIPT, where, 'why-these-charts', {
                expected:
                  'an exact chart version such as 0.29.0 (helm --version also accepts ranges, which silently upgrade)',
                actual: r.versionArg
                  ? `--version ${r.versionArg} = ${r.version ?? 'undefined variable'}`
                  : 'no --version: helm installs whatever is newest',
                fix: 'pin --version to one exact release and bump it deliberately',
              }),
            );
          }
          if (r.valuesFiles.length === 0) {
            out.push(
              violation(PLATFORM_SCRIPT, where, 'why-these-charts', {
                expected: 'a --values file in the repository',
                actual: 'none',
                fix: `add day3-helm/platform/values/${r.release}.yaml`,
              }),
            );
          }
          for (const file of r.valuesFiles.filter((f) => !fileExists(root, f))) {
            out.push(
              violation(PLATFORM_SCRIPT, where, 'why-these-charts', {
                expected: `${file} to exist`,
                actual: 'missing',
                fix: 'commit the values file',
              }),
            );
          }
        }
        return out;
      },
    ),
    gatewayCrdsBeforeTraefikCheck(PLATFORM_SCRIPT, docs('step-1-install-the-platform')),
    defineCheck("cert-manager and Traefik use day 2's pinned versions", (root) => {
      const day2 = platformReleases(readText(root, 'day2-k8s/cluster/up.sh'));
      const day3 = platformReleases(readText(root, PLATFORM_SCRIPT));
      const out: Violation[] = [];
      for (const release of ['cert-manager', 'traefik']) {
        const a = day2.releases.find((r) => r.release === release)?.version;
        const b = day3.releases.find((r) => r.release === release)?.version;
        if (a !== b)
          out.push(
            violation(PLATFORM_SCRIPT, `release ${release}`, 'why-these-charts', {
              expected: `${a} (day2-k8s/cluster/up.sh)`,
              actual: String(b),
              fix: 'upgrade both days together, so the cluster of day 2 is the platform of day 3',
            }),
          );
      }
      return out;
    }),
    defineCheck('helm package builds the chart archive', (root) => {
      const dest = mkdtempSync(path.join(os.tmpdir(), 'helm-package-'));
      try {
        const result = runHelm(helm(), ['package', CHART, '--destination', dest], root);
        const archives = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
        return result.status === 0 && archives.length === 1
          ? []
          : [
              violation(`${CHART}/Chart.yaml`, 'helm package', 'verify', {
                expected: 'one taskboard-<version>.tgz',
                actual: result.stderr.trim() || archives.join(', '),
                fix: 'fix the error helm package reports',
              }),
            ];
      } finally {
        rmSync(dest, { recursive: true, force: true });
      }
    }),
  ];
}
