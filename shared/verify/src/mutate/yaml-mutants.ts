// Mutants of one YAML or JSON file (JSON is parsed as YAML, whose flow style it is). Every mutant is a text edit of
// the original, spliced at the node's own source range, so the rest of the file (comments, quoting, order) is
// byte-for-byte unchanged and a check cannot be tripped by reformatting instead of by the mutation.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type Scalar } from 'yaml';
import type { Mutant, MutationOperator } from './types';

type Path = (string | number)[];

/** `jobs.test.steps[2].with.node-version`; a key with a dot or a bracket is quoted. */
export function formatPath(docIndex: number, docCount: number, path: Path): string {
  const parts = path.map((p, i) =>
    typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${/^[\w/-]+$/.test(p) ? p : JSON.stringify(p)}`,
  );
  const prefix = docCount > 1 ? `[doc ${docIndex}]` : '';
  return `${prefix}${prefix && parts[0] && !parts[0].startsWith('[') ? '.' : ''}${parts.join('') || '(root)'}`;
}

const CIDR = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
/** Keys whose values are names other objects refer to: renaming one side breaks the reference. */
const NAME_KEY = /(^|[-_.])(name|app|component|instance|id|ref|target|selector|label|service|namespace)s?$/i;
/** Collections whose keys are names another place refers to (labels, selectors, job ids, services). */
const NAMED_KEYS_PARENT = /^(labels|matchLabels|selector|jobs|services|outputs|volumes|networks|secrets)$/;

/** A value as it appears in a mutant's id: one line, at most 40 characters. */
function shortDetail(detail: string): string {
  const line = detail.split('\n')[0] ?? '';
  return line.length > 40 || detail.includes('\n') ? `${line.slice(0, 37)}...` : line;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

/** The scalar's new source text, quoted the way YAML and JSON both read it when a plain scalar would not do. */
function scalarSource(value: string | number | boolean, json: boolean): string {
  if (typeof value !== 'string') return String(value);
  if (!json && /^[A-Za-z_][\w./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value))
    return value;
  return JSON.stringify(value);
}

interface Seen {
  /** Every scalar value under a key, by the key's name: the enum-like siblings a value can be changed to. */
  byKey: Map<string, Set<string | number | boolean>>;
  strings: string[];
}

function collect(node: unknown, key: string | undefined, seen: Seen): void {
  if (isMap(node)) {
    for (const pair of node.items)
      collect(pair.value, isScalar(pair.key) ? String(pair.key.value) : undefined, seen);
  } else if (isSeq(node)) {
    for (const item of node.items) collect(item, key, seen);
  } else if (
    isScalar(node) &&
    node.value !== null &&
    ['string', 'number', 'boolean'].includes(typeof node.value)
  ) {
    const value = node.value as string | number | boolean;
    if (key !== undefined) {
      const set = seen.byKey.get(key) ?? new Set();
      set.add(value);
      seen.byKey.set(key, set);
    }
    if (typeof value === 'string' && !seen.strings.includes(value)) seen.strings.push(value);
  }
}

/** The value nearest after `value` in `values` (sorted as text), so the pick is deterministic and never `value`. */
function nextOther<T>(values: T[], value: T): T | undefined {
  const others = [...new Set(values)]
    .filter((v) => v !== value)
    .sort((a, b) => String(a).localeCompare(String(b)));
  return others.find((v) => String(v).localeCompare(String(value)) > 0) ?? others[0];
}

export function yamlMutants(file: string, text: string): Mutant[] {
  const json = file.endsWith('.json');
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return [];
  const seen: Seen = { byKey: new Map(), strings: [] };
  for (const doc of docs) collect(doc.contents, undefined, seen);

  const mutants: Mutant[] = [];
  const add = (docIndex: number, path: Path, operator: MutationOperator, detail: string, edited: string) =>
    mutants.push({
      id: `${file}#${formatPath(docIndex, docs.length, path)}:${operator}${detail ? `=${shortDetail(detail)}` : ''}`,
      file,
      path: formatPath(docIndex, docs.length, path),
      operator,
      text: edited,
    });
  const splice = (start: number, end: number, insert: string) =>
    text.slice(0, start) + insert + text.slice(end);

  const setScalar = (
    docIndex: number,
    path: Path,
    node: Scalar,
    op: MutationOperator,
    to: string | number | boolean,
  ) => {
    const [start, end] = node.range ?? [];
    if (start === undefined || end === undefined) return;
    add(docIndex, path, op, String(to), splice(start, end, scalarSource(to, json)));
  };

  /** Removes a pair or item: whole lines in block style; the item and its comma in flow style (and JSON). */
  const remove = (
    docIndex: number,
    path: Path,
    parentFlow: boolean,
    items: (Node | Pair)[],
    index: number,
  ) => {
    const rangeOf = (n: Node | Pair): [number, number] | undefined => {
      const first = isPair(n) ? (n.key as Node | null)?.range : n.range;
      const last = isPair(n) ? ((n.value as Node | null)?.range ?? first) : n.range;
      return first && last ? [first[0], last[1]] : undefined;
    };
    const own = rangeOf(items[index]!);
    if (!own) return;
    if (!parentFlow) {
      const start = lineStart(text, own[0]);
      const end = lineEnd(text, Math.max(own[0], own[1] - 1));
      // A pair on a `- ` line keeps the dash, so the item stays an item: `-` then the pairs below it.
      const onDashLine = !/^\s*$/.test(text.slice(start, own[0]));
      add(docIndex, path, 'delete', '', onDashLine ? splice(own[0], end, '\n') : splice(start, end, ''));
      return;
    }
    const next = items[index + 1] && rangeOf(items[index + 1]!);
    const previous = index > 0 ? rangeOf(items[index - 1]!) : undefined;
    if (next) add(docIndex, path, 'delete', '', splice(own[0], next[0], ''));
    else if (previous) add(docIndex, path, 'delete', '', splice(previous[1], own[1], ''));
    else add(docIndex, path, 'delete', '', splice(own[0], own[1], ''));
  };

  const walk = (docIndex: number, node: unknown, path: Path, key: string | undefined) => {
    if (isMap(node)) {
      const flow = Boolean(node.flow);
      node.items.forEach((pair, i) => {
        if (!isScalar(pair.key)) return;
        const name = String(pair.key.value);
        const childPath = [...path, name];
        remove(docIndex, childPath, flow, node.items, i);
        if (key !== undefined && NAMED_KEYS_PARENT.test(key) && pair.key.range) {
          const [start, end] = pair.key.range;
          add(
            docIndex,
            childPath,
            'rename-key',
            `${name}-renamed`,
            splice(start, end, scalarSource(`${name}-renamed`, json)),
          );
        }
        walk(docIndex, pair.value, childPath, name);
      });
    } else if (isSeq(node)) {
      const flow = Boolean(node.flow);
      const cidrs = node.items.filter(
        (item) => isScalar(item) && typeof item.value === 'string' && CIDR.test(item.value),
      );
      node.items.forEach((item, i) => {
        remove(docIndex, [...path, i], flow, node.items as Node[], i);
        walk(docIndex, item, [...path, i], key);
      });
      // An allow-list of addresses opened to every address: the list becomes its first entry, widened.
      if (cidrs.length > 0 && cidrs.every((c) => !['0.0.0.0/0', '*'].includes(String((c as Scalar).value)))) {
        const first = cidrs[0] as Scalar;
        if (first.range) {
          add(
            docIndex,
            [...path, node.items.indexOf(first)],
            'widen',
            '0.0.0.0/0',
            splice(first.range[0], first.range[1], scalarSource('0.0.0.0/0', json)),
          );
        }
      }
    } else if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'boolean') setScalar(docIndex, path, node, 'flip', !value);
      else if (typeof value === 'number') {
        const sibling = nextOther(
          [...(seen.byKey.get(key ?? '') ?? [])].filter((v) => typeof v === 'number'),
          value,
        );
        setScalar(docIndex, path, node, 'change-number', sibling ?? (value === 0 ? 1 : value * 2));
      } else if (typeof value === 'string') {
        if (CIDR.test(value) && value !== '0.0.0.0/0') setScalar(docIndex, path, node, 'widen', '0.0.0.0/0');
        const siblings = [...(seen.byKey.get(key ?? '') ?? [])].filter(
          (v): v is string => typeof v === 'string',
        );
        const sibling = nextOther(siblings, value);
        if (sibling !== undefined) setScalar(docIndex, path, node, 'sibling', sibling);
        else {
          const other = nextOther(seen.strings, value);
          if (other !== undefined) setScalar(docIndex, path, node, 'other-string', other);
        }
        if (key !== undefined && NAME_KEY.test(key) && value.length > 0 && !value.includes('\n')) {
          setScalar(docIndex, path, node, 'rename', `${value}-renamed`);
        }
      }
    }
  };
  docs.forEach((doc, i) => walk(i, doc.contents, [], undefined));
  return keepRealChanges(text, json, mutants);
}

/** Drops a mutant that does not parse or whose parsed value equals the original's: it would test nothing. */
function keepRealChanges(original: string, json: boolean, mutants: Mutant[]): Mutant[] {
  const valueOf = (text: string): string | undefined => {
    try {
      if (json) return JSON.stringify(JSON.parse(text));
      const docs = parseAllDocuments(text);
      if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
      return JSON.stringify(docs.map((d) => d.toJS()));
    } catch {
      return undefined;
    }
  };
  const before = valueOf(original);
  const ids = new Set<string>();
  return mutants.filter((m) => {
    const after = valueOf(m.text);
    if (after === undefined || after === before || ids.has(m.id)) return false;
    ids.add(m.id);
    return true;
  });
}
