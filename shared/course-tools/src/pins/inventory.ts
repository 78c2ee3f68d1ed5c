// The pin inventory (pins.yaml at the repository root): every external version the repository pins, where it
// comes from upstream, and which files carry it. docs/pins.md explains the format.
import fs from 'node:fs';
import path from 'node:path';
import YAML, { LineCounter, isNode, isSeq } from 'yaml';

export const INVENTORY_FILE = 'pins.yaml';

export const PIN_KINDS = [
  'action',
  'image',
  'chart',
  'crds',
  'tool',
  'npm',
  'provider',
  'constraint',
  'runtime',
] as const;
export type PinKind = (typeof PIN_KINDS)[number];

export const SOURCE_TYPES = [
  'github-tags',
  'helm-index',
  'oci-chart',
  'registry',
  'npm',
  'go-proxy',
  'pypi',
  'node-dist',
  'terraform-registry',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Where a pin is resolved upstream. Which fields apply depends on `type` (docs/pins.md has the table). */
export interface PinSource {
  type: SourceType;
  /** github-tags: owner/repo. helm-index: the chart repository URL. oci-chart and registry: host/path. */
  repository: string;
  /** helm-index: the chart's name in index.yaml. */
  chart?: string;
  /** Text before the version in an upstream tag (helm's tags are v4.1.4 for version v4.1.4: prefix ''). */
  prefix?: string;
  /** An endoflife.date product whose cycles say when a release line ends (kubernetes, nodejs). */
  eol?: string;
  /** What "the same line" means when looking for a newer patch: major (Node 24.x) or minor (default). */
  line?: 'major' | 'minor';
}

export interface InventoryPin {
  kind: PinKind;
  name: string;
  /** The version as the files write it: a tag, a chart version, a `# vX` release, or a constraint. */
  version: string;
  /** Actions: the commit the release tag points to. */
  sha?: string;
  /** Images: the manifest digest, where pinned. */
  digest?: string;
  source: PinSource;
  /** Repository-relative files that carry the pin. */
  files: string[];
  /** Where the entry starts in pins.yaml, for messages. */
  line?: number;
}

export interface KubernetesTarget {
  /** The Kubernetes minors the course targets ("1.35"); the doctor, the READMEs and the Terraform validation read them. */
  minors: string[];
  source: PinSource;
  /** Files that state the targeted minors (a README's "1.35 to 1.37", a Terraform validation): they must agree. */
  files: string[];
}

export interface Inventory {
  kubernetes: KubernetesTarget;
  /** Images this repository builds itself (their tags follow the workspace versions, not an upstream). */
  localImages: string[];
  /** Globs of files the scanner skips, such as deliberately broken fixtures. */
  ignore: string[];
  pins: InventoryPin[];
}

export class InventoryError extends Error {}

function record(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InventoryError(`${where}: expected a mapping`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new InventoryError(`${where}: expected a string`);
  return value;
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

function texts(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new InventoryError(`${where}: expected a list`);
  return value.map((item, index) => text(item, `${where}[${index}]`));
}

function parseSource(value: unknown, where: string): PinSource {
  const raw = record(value, where);
  const type = text(raw.type, `${where}.type`);
  if (!(SOURCE_TYPES as readonly string[]).includes(type)) {
    throw new InventoryError(`${where}.type: "${type}" is not one of ${SOURCE_TYPES.join(', ')}`);
  }
  const line = optionalText(raw.line, `${where}.line`);
  if (line !== undefined && line !== 'major' && line !== 'minor') {
    throw new InventoryError(`${where}.line: expected major or minor, got "${line}"`);
  }
  return {
    type: type as SourceType,
    repository: text(raw.repository, `${where}.repository`),
    ...(raw.chart !== undefined && { chart: text(raw.chart, `${where}.chart`) }),
    ...(raw.prefix !== undefined && { prefix: typeof raw.prefix === 'string' ? raw.prefix : '' }),
    ...(raw.eol !== undefined && { eol: text(raw.eol, `${where}.eol`) }),
    ...(line !== undefined && { line }),
  };
}

function parsePin(value: unknown, index: number): InventoryPin {
  const where = `pins[${index}]`;
  const raw = record(value, where);
  const kind = text(raw.kind, `${where}.kind`);
  if (!(PIN_KINDS as readonly string[]).includes(kind)) {
    throw new InventoryError(`${where}.kind: "${kind}" is not one of ${PIN_KINDS.join(', ')}`);
  }
  return {
    kind: kind as PinKind,
    name: text(raw.name, `${where}.name`),
    // YAML reads 24 or 1.35 as numbers; the inventory keeps versions as written.
    version: text(typeof raw.version === 'number' ? String(raw.version) : raw.version, `${where}.version`),
    ...(raw.sha !== undefined && { sha: text(raw.sha, `${where}.sha`) }),
    ...(raw.digest !== undefined && { digest: text(raw.digest, `${where}.digest`) }),
    source: parseSource(raw.source, `${where}.source`),
    files: texts(raw.files, `${where}.files`),
  };
}

export function parseInventory(yamlText: string): Inventory {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(yamlText, { lineCounter: counter });
  if (doc.errors.length)
    throw new InventoryError(`${INVENTORY_FILE}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
  const raw = record(doc.toJS(), INVENTORY_FILE);
  const pinNodes = doc.get('pins');
  const lineOf = (index: number): number | undefined => {
    const node = isSeq(pinNodes) ? pinNodes.items[index] : undefined;
    const range = isNode(node) ? node.range : undefined;
    return range ? counter.linePos(range[0]).line : undefined;
  };
  const kubernetes = record(raw.kubernetes, 'kubernetes');
  const minors = texts(kubernetes.minors, 'kubernetes.minors');
  for (const minor of minors) {
    if (!/^1\.\d+$/.test(minor))
      throw new InventoryError(`kubernetes.minors: "${minor}" is not a minor like 1.35`);
  }
  const pins = raw.pins;
  if (!Array.isArray(pins)) throw new InventoryError('pins: expected a list');
  return {
    kubernetes: {
      minors,
      source: parseSource(kubernetes.source, 'kubernetes.source'),
      files: kubernetes.files === undefined ? [] : texts(kubernetes.files, 'kubernetes.files'),
    },
    localImages: raw['local-images'] === undefined ? [] : texts(raw['local-images'], 'local-images'),
    ignore: raw.ignore === undefined ? [] : texts(raw.ignore, 'ignore'),
    pins: pins.map((pin, index) => ({
      ...parsePin(pin, index),
      ...(lineOf(index) && { line: lineOf(index) }),
    })),
  };
}

export function loadInventory(root: string): Inventory {
  return parseInventory(fs.readFileSync(path.join(root, INVENTORY_FILE), 'utf8'));
}

/** [major, minor] of each targeted Kubernetes minor, lowest first. */
export function kubernetesMinorRange(target: KubernetesTarget): {
  min: [number, number];
  max: [number, number];
} {
  const parsed = target.minors
    .map((minor) => minor.split('.').map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const min = parsed[0];
  const max = parsed[parsed.length - 1];
  if (!min || !max) throw new InventoryError('kubernetes.minors: expected at least one minor');
  return { min, max };
}

/** Versions compare without a leading "v": helm writes v4.1.4 where az aks install-cli writes 1.33.9. */
export function sameVersion(a: string, b: string): boolean {
  return a.replace(/^v(?=\d)/, '') === b.replace(/^v(?=\d)/, '');
}
