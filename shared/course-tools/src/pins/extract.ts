// Small, named extractors that find pins in the repository's files. Each knows one convention (a workflow's
// `uses:`, a Dockerfile's FROM, `helm ... --version`, ...) and reports what it finds with file and line.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML, { LineCounter, isMap, isScalar, type Node } from 'yaml';
import type { Inventory, PinKind } from './inventory.ts';

export interface FoundPin {
  kind: PinKind;
  name: string;
  version: string;
  sha?: string;
  digest?: string;
  file: string;
  line: number;
  /** The extractor that found it (its name is in every problem message). */
  extractor: string;
  /** A documentation mention may shorten an image tag (`postgres:18.4` for 18.4-alpine3.23). */
  shortTagAllowed?: boolean;
  /** A Renovate match string for this occurrence: the line's convention with (?<currentValue>) in it. */
  renovate?: string;
}

export interface SourceFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  text: string;
}

type Extractor = (file: SourceFile, inventory: Inventory) => FoundPin[];

const lines = (text: string): string[] => text.split('\n');
const escapeRegex = (value: string): string => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const looksLikeVersion = (value: string): boolean => /^v?\d+(\.\d+)*([-+.\w]*)$/.test(value);
const isWorkflow = (file: string): boolean =>
  /^\.github\/.*\.ya?ml$/.test(file) || /(^|\/)action\.ya?ml$/.test(file);
const isYaml = (file: string): boolean => /\.ya?ml$/.test(file);
const isDockerfile = (file: string): boolean =>
  /(^|\/)(Dockerfile(\.[\w-]+)?|[\w.-]+\.Dockerfile)$/.test(file);
const isShell = (file: SourceFile): boolean =>
  file.path.endsWith('.sh') || /^#!.*\b(bash|sh)\b/.test(file.text.split('\n', 1)[0] ?? '');

/** An image reference split into name, tag and digest; docker.io/library/ is dropped, as docker does. */
export function parseImageRef(ref: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest = '', digest] = ref.split('@');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = (hasTag ? withoutDigest.slice(0, colon) : withoutDigest).replace(
    /^docker\.io\/(library\/)?/,
    '',
  );
  return {
    name,
    ...(hasTag && { tag: withoutDigest.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}

/** `prefix` is the Renovate pattern for what precedes the reference on its line (`FROM `, `image: `). */
function imagePin(
  ref: string,
  file: string,
  line: number,
  extractor: string,
  inventory: Inventory,
  prefix: string,
): FoundPin | undefined {
  if (ref === '' || ref.includes('{{') || ref.includes('$') || ref === 'scratch') return undefined;
  const image = parseImageRef(ref);
  if (inventory.localImages.includes(image.name)) return undefined;
  const name = escapeRegex(image.name);
  return {
    kind: 'image',
    name: image.name,
    version: image.tag ?? '',
    ...(image.digest !== undefined && { digest: image.digest }),
    file,
    line,
    extractor,
    renovate: image.digest
      ? `${prefix}${name}:(?<currentValue>v?\\d[\\w.-]*)@(?<currentDigest>sha256:[0-9a-f]{64})`
      : `${prefix}${name}:(?<currentValue>v?\\d[\\w.-]*)`,
  };
}

/** `uses: owner/repo[/path]@<sha> # vX.Y.Z` in workflows and composite actions. */
export const workflowUses: Extractor = (file) => {
  if (!isWorkflow(file.path)) return [];
  const found: FoundPin[] = [];
  lines(file.text).forEach((text, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#@]+)@([^\s'"#]+)['"]?(?:\s*#\s*(\S+))?/.exec(text);
    if (!match || match[1]?.startsWith('./') || match[1]?.startsWith('docker://')) return;
    const [, name = '', ref = '', comment] = match;
    const pinnedBySha = /^[0-9a-f]{40}$/.test(ref);
    found.push({
      kind: 'action',
      name,
      version: pinnedBySha ? (comment ?? '') : ref,
      ...(pinnedBySha && { sha: ref }),
      file: file.path,
      line: index + 1,
      extractor: 'workflow-uses',
      renovate: `uses: ${escapeRegex(name)}@(?<currentDigest>[0-9a-f]{40}) # (?<currentValue>\\S+)`,
    });
  });
  return found;
};

// Which `with:` input of which action installs which tool (or image). Only these are recognised.
const ACTION_TOOL_INPUTS: Record<string, Record<string, { kind: 'tool' | 'image'; name?: string }>> = {
  'azure/setup-helm': { version: { kind: 'tool', name: 'helm' } },
  'azure/setup-kubectl': { version: { kind: 'tool', name: 'kubectl' } },
  'helm/kind-action': {
    version: { kind: 'tool', name: 'kind' },
    kubectl_version: { kind: 'tool', name: 'kubectl' },
    node_image: { kind: 'image' },
  },
  'aquasecurity/trivy-action': { version: { kind: 'tool', name: 'trivy' } },
  'hashicorp/setup-terraform': { terraform_version: { kind: 'tool', name: 'terraform' } },
  'opentofu/setup-opentofu': { tofu_version: { kind: 'tool', name: 'opentofu' } },
};

function lineOf(node: Node | null | undefined, counter: LineCounter): number {
  return node?.range ? counter.linePos(node.range[0]).line : 0;
}

/** Tool versions given to setup actions: `with: { version: v4.1.4 }` after `uses: azure/setup-helm@...`. */
export const workflowToolInputs: Extractor = (file, inventory) => {
  if (!isWorkflow(file.path)) return [];
  const counter = new LineCounter();
  const doc = YAML.parseDocument(file.text, { lineCounter: counter });
  const found: FoundPin[] = [];
  YAML.visit(doc, {
    Map(_, map) {
      const uses = map.get('uses');
      const withInputs = map.get('with', true);
      if (typeof uses !== 'string' || !isMap(withInputs)) return;
      const inputs = ACTION_TOOL_INPUTS[uses.split('@')[0] ?? ''];
      if (!inputs) return;
      for (const pair of withInputs.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const target = inputs[key];
        if (!target || !isScalar(pair.value)) continue;
        const value = String(pair.value.value);
        const line = lineOf(pair.value, counter);
        if (target.kind === 'image') {
          const pin = imagePin(value, file.path, line, 'workflow-tool-input', inventory, `${key}: ['"]?`);
          if (pin) found.push(pin);
        } else if (looksLikeVersion(value)) {
          found.push({
            kind: 'tool',
            name: target.name ?? key,
            version: value,
            file: file.path,
            line,
            extractor: 'workflow-tool-input',
            // Anchored on the step's uses: line, so two setup actions in one file never share a pattern.
            renovate: `uses: ${escapeRegex(uses.split('@')[0] ?? '')}@[^\\n]*\\n(?:[ \\t]+[\\w-]+:[^\\n]*\\n){0,8}?[ \\t]+${escapeRegex(key)}: ['"]?(?<currentValue>v?\\d[\\w.-]*)`,
          });
        }
      }
    },
  });
  return found;
};

/** `FROM image:tag[@sha256:...] [AS stage]`; a FROM that names an earlier stage is not a pin. */
export const dockerfileFrom: Extractor = (file, inventory) => {
  if (!isDockerfile(file.path)) return [];
  const stages = new Set<string>();
  const found: FoundPin[] = [];
  lines(file.text).forEach((text, index) => {
    const match = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(text);
    if (!match) return;
    const [, ref = '', stage] = match;
    if (!stages.has(ref.toLowerCase())) {
      const pin = imagePin(
        ref,
        file.path,
        index + 1,
        'dockerfile-from',
        inventory,
        'FROM (?:--platform=\\S+ )?',
      );
      if (pin) found.push(pin);
    }
    if (stage) stages.add(stage.toLowerCase());
  });
  return found;
};

/** `image:` (a string, or a map with repository and tag) and CloudNativePG's `imageName:` in YAML files. */
export const yamlImages: Extractor = (file, inventory) => {
  if (!isYaml(file.path)) return [];
  const counter = new LineCounter();
  const found: FoundPin[] = [];
  for (const doc of YAML.parseAllDocuments(file.text, { lineCounter: counter })) {
    if (!('contents' in doc)) continue;
    YAML.visit(doc, {
      Pair(_, pair) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (key !== 'image' && key !== 'imageName') return;
        let ref: string | undefined;
        let at: Node | null | undefined;
        let prefix = `${key}: ['"]?`;
        if (isScalar(pair.value) && typeof pair.value.value === 'string') {
          ref = pair.value.value;
          at = pair.value;
        } else if (key === 'image' && isMap(pair.value)) {
          const repository = pair.value.get('repository');
          const tag = pair.value.get('tag', true);
          if (typeof repository !== 'string' || !isScalar(tag)) return;
          const registry = pair.value.get('registry');
          ref = `${typeof registry === 'string' && registry ? `${registry}/` : ''}${repository}:${String(tag.value)}`;
          at = tag;
          prefix = `repository: ['"]?`;
        }
        if (ref === undefined) return;
        const pin = imagePin(ref, file.path, lineOf(at, counter), 'yaml-image', inventory, prefix);
        if (pin && isMap(pair.value)) {
          // repository: x, then tag: y on a following line
          const name = escapeRegex(String(pair.value.get('repository')));
          pin.renovate = `repository: ['"]?${name}['"]?\\n(?:\\s+\\S.*\\n)*?\\s+tag: ['"]?(?<currentValue>v?\\d[\\w.-]*)`;
        }
        if (pin) found.push(pin);
      },
    });
  }
  return found;
};

interface ShellAssignment {
  name: string;
  value: string;
  line: number;
}

/** `NAME=value`, `readonly NAME=value`, `NAME="${NAME:-value}"` (the default is the pin). */
function shellAssignments(text: string): Map<string, ShellAssignment> {
  const assignments = new Map<string, ShellAssignment>();
  lines(text).forEach((line, index) => {
    const match = /^\s*(?:readonly\s+|export\s+|local\s+|declare\s+-r\s+)?([A-Za-z_]\w*)=(\S*)/.exec(line);
    if (!match) return;
    const [, name = '', raw = ''] = match;
    const unquoted = raw.replace(/^(['"])(.*)\1$/, '$2');
    const value = /^\$\{\w+:-(.*)\}$/.exec(unquoted)?.[1] ?? unquoted;
    assignments.set(name, { name, value, line: index + 1 });
  });
  return assignments;
}

/** A value as written, or the shell variable it names (`"$X"`, `${X}`) resolved in the same file. */
function resolveShellValue(
  written: string,
  assignments: Map<string, ShellAssignment>,
  line: number,
): { value: string; line: number; variable?: string } | undefined {
  const unquoted = written.replace(/^(['"])(.*)\1$/, '$2');
  const variable = /^\$\{?(\w+)\}?$/.exec(unquoted)?.[1];
  if (!variable) return { value: unquoted, line };
  const assignment = assignments.get(variable);
  return assignment && { value: assignment.value, line: assignment.line, variable };
}

// helm flags that take a value, so the word after them is not the release or the chart.
const HELM_VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '-f',
  '--values',
  '--set',
  '--set-string',
  '--set-file',
  '--set-json',
  '--version',
  '--timeout',
  '--repo',
  '--kube-context',
  '--description',
  '--post-renderer',
  '-o',
  '--output',
]);

/** Physical lines joined where a shell line ends in a backslash, each remembering where it started. */
function logicalLines(text: string): { text: string; line: number; starts: number[] }[] {
  const result: { text: string; line: number; starts: number[] }[] = [];
  let current: { text: string; line: number; starts: number[] } | undefined;
  lines(text).forEach((line, index) => {
    if (current) {
      current.starts.push(current.text.length);
      current.text += ` ${line}`;
    } else current = { text: line, line: index + 1, starts: [0] };
    if (!/\\\s*$/.test(line)) {
      result.push(current);
      current = undefined;
    }
  });
  if (current) result.push(current);
  return result;
}

/** `helm install|upgrade|template|pull|show <release> <repo>/<chart> --version X` (X literal or a variable). */
export const helmVersionFlag: Extractor = (file) => {
  if (!/\.(sh|md|ya?ml)$/.test(file.path) && !isShell(file)) return [];
  const assignments = shellAssignments(file.text);
  const found: FoundPin[] = [];
  for (const logical of logicalLines(file.text)) {
    const command = /\bhelm\s+(install|upgrade|template|pull|show\s+\w+)\b(.*)/.exec(logical.text);
    if (!command) continue;
    const words = (command[2] ?? '').split(/\s+/).filter((word) => word !== '' && word !== '\\');
    let version: string | undefined;
    const positional: string[] = [];
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i] ?? '';
      if (word === '--version') version = words[i + 1];
      if (HELM_VALUE_FLAGS.has(word)) i += 1;
      else if (!word.startsWith('-')) positional.push(word.replace(/^(['"])(.*)\1$/, '$2'));
    }
    const chart = positional.find((word) => /^oci:\/\/\S+$/.test(word) || /^[\w-]+\/[\w.-]+$/.test(word));
    if (!chart || version === undefined) continue;
    // The physical line that holds --version, for a literal version.
    const offset = logical.text.indexOf('--version', command.index);
    const physical = logical.line + logical.starts.filter((start) => start <= offset).length - 1;
    const resolved = resolveShellValue(version, assignments, physical);
    if (!resolved || !looksLikeVersion(resolved.value)) continue;
    found.push({
      kind: 'chart',
      name: chart,
      version: resolved.value,
      file: file.path,
      line: resolved.line,
      extractor: 'helm-version-flag',
      renovate: resolved.variable
        ? `${escapeRegex(resolved.variable)}="?(?<currentValue>v?\\d[\\w.-]*)`
        : `${escapeRegex(chart)} --version (?<currentValue>v?\\d[\\w.-]*)`,
    });
  }
  return found;
};

/** `https://github.com/OWNER/REPO/releases/download/TAG/FILE`: CRD bundles (.yaml) and other release assets. */
export const releaseAssetUrl: Extractor = (file) => {
  const assignments = isShell(file) ? shellAssignments(file.text) : new Map<string, ShellAssignment>();
  const found: FoundPin[] = [];
  lines(file.text).forEach((text, index) => {
    for (const match of text.matchAll(
      /https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/releases\/download\/([^/\s"'`]+)\/([^\s"'`)<>]+)/g,
    )) {
      const [, repository = '', tag = '', asset = ''] = match;
      const resolved = resolveShellValue(tag, assignments, index + 1);
      if (!resolved || !looksLikeVersion(resolved.value)) continue;
      found.push({
        kind: /\.ya?ml$/.test(asset) ? 'crds' : 'tool',
        name: repository,
        version: resolved.value,
        file: file.path,
        line: resolved.line,
        extractor: 'release-asset-url',
        renovate: resolved.variable
          ? `${escapeRegex(resolved.variable)}="?(?<currentValue>v?\\d[\\w.-]*)`
          : `${escapeRegex(repository)}/releases/download/(?<currentValue>v?\\d[\\w.-]*)/`,
      });
    }
  });
  return found;
};

/**
 * Shell variables named `X_VERSION` (a tool, named x) and `X_PACKAGE="name@version"` (an npm package), except
 * those a helm command or a release URL of the same file already reported.
 */
export const shellVersionVariables: Extractor = (file, inventory) => {
  if (!isShell(file)) return [];
  const consumed = new Set(
    [...helmVersionFlag(file, inventory), ...releaseAssetUrl(file, inventory)].map((pin) => pin.line),
  );
  const found: FoundPin[] = [];
  for (const assignment of shellAssignments(file.text).values()) {
    if (consumed.has(assignment.line)) continue;
    const tool = /^(\w+?)_(?:VERSION|version)$/.exec(assignment.name)?.[1];
    if (tool && looksLikeVersion(assignment.value)) {
      found.push({
        kind: 'tool',
        name: tool.toLowerCase().replace(/_/g, '-'),
        version: assignment.value,
        file: file.path,
        line: assignment.line,
        extractor: 'shell-version-variable',
        renovate: `${escapeRegex(assignment.name)}="?(?:\\$\\{${escapeRegex(assignment.name)}:-)?(?<currentValue>v?\\d[\\w.-]*)`,
      });
    }
    const npm = /_PACKAGE$/.test(assignment.name) ? /^(@?[^@\s]+)@(\d[\w.-]*)$/.exec(assignment.value) : null;
    if (npm) {
      const [, name = '', version = ''] = npm;
      found.push({
        kind: 'npm',
        name,
        version,
        file: file.path,
        line: assignment.line,
        extractor: 'shell-npm-package',
        renovate: `${escapeRegex(name)}@(?<currentValue>\\d[\\w.-]*)`,
      });
    }
  }
  return found;
};

/**
 * scripts/bootstrap-tools.sh's `ensure_go_tool NAME PACKAGE VERSION ...` and `ensure_pip_tool NAME PACKAGE VERSION
 * ...`: a field tool built from its Go module or installed from PyPI at an exact version.
 */
export const bootstrapEnsureTool: Extractor = (file) => {
  if (!isShell(file)) return [];
  const found: FoundPin[] = [];
  lines(file.text).forEach((text, index) => {
    const match = /^\s*(ensure_(?:go|pip)_tool)\s+([\w.-]+)\s+\S+\s+['"]?(v?\d[\w.-]*)/.exec(text);
    if (!match) return;
    const [, helper = '', name = '', version = ''] = match;
    found.push({
      kind: 'tool',
      name,
      version,
      file: file.path,
      line: index + 1,
      extractor: 'bootstrap-ensure-tool',
      renovate: `${helper} ${escapeRegex(name)} \\S+ (?<currentValue>v?\\d[\\w.-]*)`,
    });
  });
  return found;
};

/** `az aks install-cli --client-version X` installs kubectl X. */
export const cliVersionFlags: Extractor = (file) => {
  const found: FoundPin[] = [];
  lines(file.text).forEach((text, index) => {
    const match = /\baz aks install-cli\b.*--client-version[= ]['"]?(v?\d[\w.-]*)/.exec(text);
    if (match?.[1]) {
      found.push({
        kind: 'tool',
        name: 'kubectl',
        version: match[1],
        file: file.path,
        line: index + 1,
        extractor: 'az-aks-install-cli',
        renovate: 'install-cli --client-version (?<currentValue>v?\\d[\\w.-]*)',
      });
    }
  });
  return found;
};

/** Terraform: each `required_providers` entry's version constraint, and the `required_version` constraint. */
export const terraformVersions: Extractor = (file) => {
  if (!file.path.endsWith('.tf')) return [];
  const found: FoundPin[] = [];
  let depth = 0;
  let providersDepth: number | undefined;
  let provider: { source?: string; version?: string; line?: number } | undefined;
  lines(file.text).forEach((raw, index) => {
    const text = raw.replace(/#.*$|\/\/.*$/, '');
    const requiredVersion = /^\s*required_version\s*=\s*"([^"]+)"/.exec(text);
    if (requiredVersion?.[1]) {
      found.push({
        kind: 'constraint',
        name: 'terraform',
        version: requiredVersion[1],
        file: file.path,
        line: index + 1,
        extractor: 'terraform-required-version',
        renovate: 'required_version\\s*=\\s*"(?<currentValue>[^"]+)"',
      });
    }
    if (/^\s*required_providers\s*\{/.test(text)) providersDepth = depth + 1;
    else if (providersDepth !== undefined && depth === providersDepth && /^\s*[\w-]+\s*=\s*\{/.test(text)) {
      provider = {};
    }
    if (provider) {
      const source = /^\s*source\s*=\s*"([^"]+)"/.exec(text)?.[1];
      const version = /^\s*version\s*=\s*"([^"]+)"/.exec(text);
      if (source) provider.source = source;
      if (version?.[1]) Object.assign(provider, { version: version[1], line: index + 1 });
    }
    depth += (text.match(/\{/g) ?? []).length - (text.match(/\}/g) ?? []).length;
    if (provider && providersDepth !== undefined && depth === providersDepth) {
      if (provider.source && provider.version && provider.line) {
        found.push({
          kind: 'provider',
          name: provider.source,
          version: provider.version,
          file: file.path,
          line: provider.line,
          extractor: 'terraform-required-providers',
          renovate: `source\\s*=\\s*"${escapeRegex(provider.source)}"[^}]*?version\\s*=\\s*"(?<currentValue>[^"]+)"`,
        });
      }
      provider = undefined;
    }
    if (providersDepth !== undefined && depth < providersDepth) providersDepth = undefined;
  });
  return found;
};

/** `.nvmrc`: the Node release line nvm, setup-node's node-version-file and the doctor use. */
export const nvmrc: Extractor = (file) => {
  if (path.posix.basename(file.path) !== '.nvmrc') return [];
  const version = file.text.trim();
  return version
    ? [
        {
          kind: 'runtime',
          name: 'node',
          version,
          file: file.path,
          line: 1,
          extractor: 'nvmrc',
          renovate: '^(?<currentValue>\\S+)',
        },
      ]
    : [];
};

/** Markdown mentions of an inventory image (`postgres:18.4-alpine3.23`), so prose and expected output keep up. */
export const markdownImageMentions: Extractor = (file, inventory) => {
  if (!file.path.endsWith('.md')) return [];
  const found: FoundPin[] = [];
  const images = inventory.pins.filter((pin) => pin.kind === 'image');
  lines(file.text).forEach((text, index) => {
    for (const image of images) {
      const pattern = new RegExp(
        `(?<![\\w./-])(?:docker\\.io/(?:library/)?)?${escapeRegex(image.name)}:(v?\\d+\\.\\d+(?:[\\w.-]*\\w)?)(@sha256:[0-9a-f]{64})?`,
        'g',
      );
      for (const match of text.matchAll(pattern)) {
        found.push({
          kind: 'image',
          name: image.name,
          version: match[1] ?? '',
          ...(match[2] && { digest: match[2].slice(1) }),
          file: file.path,
          line: index + 1,
          extractor: 'markdown-image-mention',
          shortTagAllowed: true,
          renovate: `${escapeRegex(image.name)}:(?<currentValue>v?\\d+\\.\\d+(?:[\\w.-]*\\w)?)`,
        });
      }
    }
  });
  return found;
};

/** `helm list`'s CHART column in Markdown expected output (`traefik-41.5.0`) for inventory charts. */
export const markdownHelmListCharts: Extractor = (file, inventory) => {
  if (!file.path.endsWith('.md')) return [];
  const found: FoundPin[] = [];
  const charts = inventory.pins.filter((pin) => pin.kind === 'chart');
  lines(file.text).forEach((text, index) => {
    if (!/\bdeployed\b/.test(text)) return; // helm list and helm history rows carry a status column
    for (const chart of charts) {
      const bare = chart.name.split('/').pop() ?? chart.name;
      const pattern = new RegExp(`(?<![\\w-])${escapeRegex(bare)}-(v?\\d+\\.\\d+\\.\\d+[\\w.-]*)`, 'g');
      for (const match of text.matchAll(pattern)) {
        found.push({
          kind: 'chart',
          name: chart.name,
          version: match[1] ?? '',
          file: file.path,
          line: index + 1,
          extractor: 'markdown-helm-list',
          renovate: `\\b${escapeRegex(bare)}-(?<currentValue>v?\\d+\\.\\d+\\.\\d+)`,
        });
      }
    }
  });
  return found;
};

export const EXTRACTORS: Record<string, Extractor> = {
  'workflow-uses': workflowUses,
  'workflow-tool-input': workflowToolInputs,
  'dockerfile-from': dockerfileFrom,
  'yaml-image': yamlImages,
  'helm-version-flag': helmVersionFlag,
  'release-asset-url': releaseAssetUrl,
  'shell-version-variable': shellVersionVariables,
  'az-aks-install-cli': cliVersionFlags,
  'bootstrap-ensure-tool': bootstrapEnsureTool,
  'terraform-versions': terraformVersions,
  nvmrc,
  'markdown-image-mention': markdownImageMentions,
  'markdown-helm-list': markdownHelmListCharts,
};

/** A glob (`**`, `*`) as a regular expression over repository-relative paths. */
export function globToRegex(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else source += escapeRegex(char);
  }
  return new RegExp(`^${source}$`);
}

const SCANNED = /\.(ya?ml|md|sh|tf)$|(^|\/)(\.nvmrc|Dockerfile(\.[\w-]+)?|[\w.-]+\.Dockerfile)$/;

/** The files worth scanning under `root`: git's tracked and untracked-but-not-ignored files, or a walk. */
export function listFiles(root: string, ignore: readonly string[]): string[] {
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\0')
      .filter(Boolean);
  } catch {
    files = [];
  }
  // A fixture folder inside the repository is scanned as its own tree.
  const gitTop = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  })();
  if (!gitTop || fs.realpathSync(gitTop) !== fs.realpathSync(root)) files = walk(root);
  const ignored = ignore.map(globToRegex);
  return [...new Set(files)]
    .filter((file) => !file.split('/').includes('node_modules'))
    .filter((file) => !ignored.some((pattern) => pattern.test(file)))
    .filter((file) => fs.existsSync(path.join(root, file)))
    .filter((file) => {
      if (SCANNED.test(file)) return true;
      if (path.posix.basename(file).includes('.')) return false;
      // Extensionless scripts (.ci/run) count when they start with a shell shebang.
      const head = fs.readFileSync(path.join(root, file), 'utf8').slice(0, 64);
      return /^#!.*\b(bash|sh)\b/.test(head);
    })
    .sort();
}

function walk(root: string, dir = ''): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return entry.name === '.git' ? [] : walk(root, relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** Every pin every extractor finds in the given files (the inventory names the Markdown mentions to look for). */
export function extractPins(root: string, files: readonly string[], inventory: Inventory): FoundPin[] {
  return files.flatMap((file) => {
    const source: SourceFile = { path: file, text: fs.readFileSync(path.join(root, file), 'utf8') };
    return Object.values(EXTRACTORS).flatMap((extract) => extract(source, inventory));
  });
}
