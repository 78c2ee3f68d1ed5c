// `npm run pins:sync`: rewrites pins.yaml from what the extractors find, keeping every entry's source (and the
// file's comments), so a bump in the files becomes one command. `pins:list` prints the same findings.
import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { FoundPin } from './extract.ts';
import { INVENTORY_FILE, PIN_KINDS, type PinKind, type PinSource } from './inventory.ts';

const key = (pin: { kind: string; name: string }): string => `${pin.kind} ${pin.name}`;
// Mentions in Markdown follow the pin; they never decide its version.
const decides = (pin: FoundPin): boolean => !pin.extractor.startsWith('markdown-');

/** `helm repo add <alias> <url>` anywhere in the files: where a chart reference like traefik/traefik comes from. */
export function helmRepositories(root: string, files: readonly string[]): Map<string, string> {
  const repositories = new Map<string, string>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(/\bhelm repo add\s+([\w-]+)\s+(https?:\/\/[^\s"'`]+)/g)) {
      if (match[1] && match[2]) repositories.set(match[1], match[2].replace(/\/$/, ''));
    }
  }
  return repositories;
}

const TOOL_REPOSITORIES: Record<string, string> = {
  helm: 'helm/helm',
  kubectl: 'kubernetes/kubernetes',
  kind: 'kubernetes-sigs/kind',
  trivy: 'aquasecurity/trivy',
  terraform: 'hashicorp/terraform',
  opentofu: 'opentofu/opentofu',
};

/** A first guess at the upstream of a new pin; `repository: TODO` where none can be made. */
export function guessSource(pin: FoundPin, helmRepos: Map<string, string>): PinSource {
  switch (pin.kind) {
    case 'action':
      return { type: 'github-tags', repository: pin.name.split('/').slice(0, 2).join('/') };
    case 'image': {
      const first = pin.name.split('/')[0] ?? '';
      const hosted = first.includes('.') || first.includes(':');
      const repository = hosted
        ? pin.name
        : `docker.io/${pin.name.includes('/') ? '' : 'library/'}${pin.name}`;
      return { type: 'registry', repository };
    }
    case 'chart': {
      if (pin.name.startsWith('oci://'))
        return { type: 'oci-chart', repository: pin.name.slice('oci://'.length) };
      const [alias = '', chart = ''] = pin.name.split('/');
      return { type: 'helm-index', repository: helmRepos.get(alias) ?? 'TODO', chart };
    }
    case 'crds':
      return { type: 'github-tags', repository: pin.name };
    case 'tool':
      if (pin.name === 'node')
        return { type: 'node-dist', repository: 'nodejs.org/dist', line: 'major', eol: 'nodejs' };
      return { type: 'github-tags', repository: TOOL_REPOSITORIES[pin.name] ?? 'TODO' };
    case 'npm':
      return { type: 'npm', repository: pin.name };
    case 'provider':
      return { type: 'terraform-registry', repository: pin.name };
    case 'constraint':
      return { type: 'github-tags', repository: TOOL_REPOSITORIES[pin.name] ?? 'TODO' };
    case 'runtime':
      return { type: 'node-dist', repository: 'nodejs.org/dist', line: 'major', eol: 'nodejs' };
  }
}

export interface SyncResult {
  text: string;
  changes: string[];
  /** Pins whose files disagree with each other: the inventory keeps its version until the files agree. */
  conflicts: string[];
}

interface Observed {
  version: string;
  sha?: string;
  digest?: string;
}

function observed(pins: readonly FoundPin[]): { value?: Observed; conflict?: string } {
  const deciding = pins.filter(decides);
  const variants = new Map<string, Observed>();
  for (const pin of deciding) {
    const value: Observed = {
      version: pin.version,
      ...(pin.sha && { sha: pin.sha }),
      ...(pin.digest && { digest: pin.digest }),
    };
    // v1.33.9 and 1.33.9 are the same release written two ways.
    variants.set(JSON.stringify({ ...value, version: value.version.replace(/^v(?=\d)/, '') }), value);
  }
  if (variants.size > 1) {
    const where = deciding.map(
      (pin) => `${pin.file}:${pin.line} ${pin.version}${pin.sha ? `@${pin.sha}` : ''}`,
    );
    return { conflict: where.join(', ') };
  }
  return { value: [...variants.values()][0] };
}

function setOptional(map: YAMLMap, name: string, value: string | undefined): void {
  if (value === undefined) map.delete(name);
  else map.set(name, value);
}

export function syncInventory(
  inventoryText: string,
  found: readonly FoundPin[],
  helmRepos: Map<string, string>,
): SyncResult {
  const doc = YAML.parseDocument(inventoryText);
  const seq = doc.get('pins');
  if (!isSeq(seq)) throw new Error(`${INVENTORY_FILE}: pins must be a list`);
  seq.flow = false;
  const byKey = new Map<string, FoundPin[]>();
  for (const pin of found) byKey.set(key(pin), [...(byKey.get(key(pin)) ?? []), pin]);
  const changes: string[] = [];
  const conflicts: string[] = [];
  const seen = new Set<string>();
  const entryCount = new Map<string, number>();
  const claimed = new Set<FoundPin>();
  for (const item of seq.items) {
    if (!isMap(item)) continue;
    const itemKey = `${String(item.get('kind'))} ${String(item.get('name'))}`;
    entryCount.set(itemKey, (entryCount.get(itemKey) ?? 0) + 1);
  }

  for (let index = seq.items.length - 1; index >= 0; index -= 1) {
    const entry = seq.items[index];
    if (!isMap(entry)) continue;
    const entryKey = `${String(entry.get('kind'))} ${String(entry.get('name'))}`;
    seen.add(entryKey);
    // Where one name has several entries, each keeps the pins of the files it lists.
    const listed = (entry.toJSON() as { files?: string[] }).files ?? [];
    const all = byKey.get(entryKey) ?? [];
    const pins = (entryCount.get(entryKey) ?? 0) > 1 ? all.filter((pin) => listed.includes(pin.file)) : all;
    pins.forEach((pin) => claimed.add(pin));
    if (!pins.some(decides)) {
      seq.delete(index);
      changes.push(`removed ${entryKey}: no file carries it any more`);
      continue;
    }
    const files = [...new Set(pins.map((pin) => pin.file))].sort();
    const { value, conflict } = observed(pins);
    if (conflict) conflicts.push(`${entryKey}: ${conflict}`);
    if (value && String(entry.get('version')) !== value.version) {
      changes.push(`${entryKey}: ${String(entry.get('version'))} -> ${value.version}`);
      entry.set('version', value.version);
    }
    if (value && (entry.get('sha') !== value.sha || entry.get('digest') !== value.digest)) {
      changes.push(`${entryKey}: sha/digest -> ${value.sha ?? value.digest ?? '(none)'}`);
      setOptional(entry, 'sha', value.sha);
      setOptional(entry, 'digest', value.digest);
    }
    const before = JSON.stringify(entry.toJSON().files ?? []);
    if (before !== JSON.stringify(files)) {
      changes.push(`${entryKey}: files -> ${files.join(', ')}`);
      entry.set('files', doc.createNode(files));
    }
  }

  for (const [pinKey, pins] of byKey) {
    if (seen.has(pinKey)) {
      for (const pin of pins.filter((p) => !claimed.has(p) && decides(p))) {
        conflicts.push(
          `${pinKey}: ${pin.file}:${pin.line} ${pin.version} is in no entry's files; add it to one`,
        );
      }
      continue;
    }
    if (!pins.some(decides)) continue;
    const first = pins.find(decides) as FoundPin;
    const { value, conflict } = observed(pins);
    if (conflict) conflicts.push(`${pinKey}: ${conflict}`);
    const source = guessSource(first, helmRepos);
    seq.add(
      doc.createNode({
        kind: first.kind,
        name: first.name,
        version: value?.version ?? first.version,
        ...(value?.sha && { sha: value.sha }),
        ...(value?.digest && { digest: value.digest }),
        source,
        files: [...new Set(pins.map((pin) => pin.file))].sort(),
      }),
    );
    changes.push(
      `added ${pinKey} ${first.version}${source.repository === 'TODO' ? ' (fill in its source)' : ''}`,
    );
  }
  // Grouped by kind, then by name, so a diff of pins.yaml reads like the inventory it is.
  const order = (item: unknown): string =>
    isMap(item)
      ? `${PIN_KINDS.indexOf(item.get('kind') as PinKind)}`.padStart(2, '0') + String(item.get('name'))
      : '';
  seq.items.sort((a, b) => order(a).localeCompare(order(b)));
  // Fields in one order (Renovate's pins.yaml patterns read kind, name, version, then sha or digest).
  const FIELD_ORDER = ['kind', 'name', 'version', 'sha', 'digest', 'source', 'files'];
  const rank = (pair: unknown): number => {
    const name = isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : '';
    const index = FIELD_ORDER.indexOf(name);
    return index === -1 ? FIELD_ORDER.length : index;
  };
  for (const item of seq.items) if (isMap(item)) item.items.sort((a, b) => rank(a) - rank(b));
  // Block style throughout: one field a line keeps diffs small and Renovate's patterns simple.
  YAML.visit(seq, {
    Map(_, map) {
      map.flow = false;
    },
    Seq(_, list) {
      list.flow = false;
    },
  });
  return { text: doc.toString({ lineWidth: 0 }), changes, conflicts };
}

/** What `pins:list` prints: one line per occurrence, grouped as inventory entries. */
export function formatFound(found: readonly FoundPin[]): string {
  const groups = new Map<string, FoundPin[]>();
  for (const pin of found) groups.set(key(pin), [...(groups.get(key(pin)) ?? []), pin]);
  const out: string[] = [];
  for (const [pinKey, pins] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(pinKey);
    for (const pin of pins) {
      const extra = pin.sha ? ` sha ${pin.sha}` : pin.digest ? ` digest ${pin.digest}` : '';
      out.push(`  ${pin.file}:${pin.line}  ${pin.version || '(no version)'}${extra}  [${pin.extractor}]`);
    }
  }
  return out.join('\n');
}
