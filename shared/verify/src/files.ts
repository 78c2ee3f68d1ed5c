import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { BadInputError, readInputText, type ReadInputOptions } from './bad-input';

/**
 * A text input of a check. Missing, empty, binary or oversized files throw BadInputError, which assertCheck reports
 * as a located failure (see bad-input.ts).
 */
export function readText(root: string, file: string, options: ReadInputOptions = {}): string {
  return readInputText(root, file, options);
}

/** JSON with a located error: file, and line and column when the parser reports a position. */
export function readJson(root: string, file: string): unknown {
  const text = readInputText(root, file, { kind: 'JSON file' });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    const at = /\(line (\d+) column (\d+)\)/.exec(message);
    throw new BadInputError(
      file,
      at ? Number(at[1]) : undefined,
      `is not valid JSON: ${message.replace(/ in JSON at position \d+ \(line \d+ column \d+\)/, '')}`,
      'fix the JSON syntax there (a trailing comma, a missing quote, colon or bracket)',
      at ? Number(at[2]) : undefined,
    );
  }
}

export function fileExists(root: string, file: string): boolean {
  return existsSync(path.join(root, file));
}

export function isDirectory(root: string, file: string): boolean {
  const full = path.join(root, file);
  return existsSync(full) && statSync(full).isDirectory();
}

export interface YamlSource {
  file: string;
  doc: Document;
  /** 1-based line of the node at `keys` (mapping keys and sequence indexes), or undefined. */
  lineOf(keys: (string | number)[]): number | undefined;
}

/** Parses one YAML document; malformed YAML is a BadInputError at the parser's first line and column. */
export function readYamlSource(root: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readInputText(root, file, { kind: 'YAML file' }), { merge: true, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const position = first.linePos?.[0];
    // The position is in the location already; keep the parser's words only.
    const detail = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new BadInputError(
      file,
      position?.line,
      `is not valid YAML: ${detail}${doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : ''}`,
      'fix the YAML at that line: indentation, a missing colon or an unclosed quote or bracket are the usual causes',
      position?.col,
    );
  }
  return {
    file,
    doc,
    lineOf(keys) {
      const node = (keys.length === 0 ? doc.contents : doc.getIn(keys, true)) as
        { range?: [number, number, number] } | null | undefined;
      const pair = keys.length > 0 ? findPairKey(doc, keys) : undefined;
      const offset = pair ?? node?.range?.[0];
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

/** Offset of the key node of the last step of `keys`, so a message points at `jobs:`, not at its value. */
function findPairKey(doc: Document, keys: (string | number)[]): number | undefined {
  const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === keys.at(-1));
  return (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
}

/** What a YAML value is, in words for messages. */
export function yamlKindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty or comment-only document)';
  if (Array.isArray(value)) return 'a sequence (a list of - items)';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

/**
 * Parses YAML whose top level must be a mapping (compose, kustomization, Chart.yaml, values, workflows...). Malformed
 * YAML, an empty or comment-only file, or a top level that is a list or a scalar is a located BadInputError.
 * `{ topLevel: 'any' }` returns whatever the document holds, `null` for a comment-only one.
 */
export function readYaml(
  root: string,
  file: string,
  options: { topLevel?: 'mapping' | 'any' } = {},
): unknown {
  const source = readYamlSource(root, file);
  const value: unknown = source.doc.toJS();
  if (options.topLevel === 'any') return value;
  if (!isMap(source.doc.contents)) {
    throw new BadInputError(
      file,
      source.lineOf([]),
      `must be a YAML mapping (key: value pairs) at the top level; found ${isSeq(source.doc.contents) ? 'a sequence (a list of - items)' : yamlKindOf(value)}`,
      'write the file as key: value pairs at the top level, as the README shows',
    );
  }
  return value;
}

/**
 * A Dockerfile parsed with dockerfile-ast. A Dockerfile with no FROM, or with an instruction other than ARG before
 * its first FROM, is a located BadInputError (docker build would refuse it too).
 */
export function readDockerfile(root: string, file: string): Dockerfile {
  const dockerfile = DockerfileParser.parse(readInputText(root, file, { kind: 'Dockerfile' }));
  const instructions = dockerfile.getInstructions();
  const firstFrom = instructions.findIndex((instruction) => instruction.getKeyword() === 'FROM');
  if (firstFrom === -1)
    throw new BadInputError(
      file,
      instructions[0] ? instructions[0].getRange().start.line + 1 : undefined,
      'has no FROM instruction: a Dockerfile must start a build stage with FROM <image>:<tag>',
      'add FROM <image>:<exact tag> [AS <stage>] before the first other instruction',
    );
  const early = instructions.slice(0, firstFrom).find((instruction) => instruction.getKeyword() !== 'ARG');
  if (early)
    throw new BadInputError(
      file,
      early.getRange().start.line + 1,
      `${early.getKeyword()} comes before the first FROM; only ARG may precede FROM`,
      'move it after the FROM of the stage it belongs to',
    );
  return dockerfile;
}

interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
}

/** Docker's pattern syntax (Go filepath.Match plus `**`), anchored at the context root. */
function patternToRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** A `.dockerignore` matcher: the last matching rule wins, and excluding a directory excludes its contents. */
export function dockerignoreMatcher(content: string): (file: string) => boolean {
  const rules: IgnoreRule[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = path.posix
      .normalize((negate ? line.slice(1) : line).trim())
      .replace(/^\/+/, '')
      .replace(/\/+$/, '');
    rules.push({ negate, regex: patternToRegex(pattern) });
  }
  return (file: string) => {
    const clean = path.posix
      .normalize(file)
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '');
    const parts = clean.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    }
    return excluded;
  };
}
