import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BadInputError, readInputText } from '../bad-input';
import { isRecord, type K8sObject, type Rendered } from './types';

const originAnnotation = 'config.kubernetes.io/origin';

export class RenderError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
  ) {
    super(`${command} failed:\n${stderr.trim()}`);
    this.name = 'RenderError';
  }
}

/**
 * Parses multi-document YAML into objects; non-objects and empty documents are skipped. A syntax error is a
 * BadInputError at the parser's line and column.
 */
export function parseManifests(text: string, file: string): Rendered[] {
  const out: Rendered[] = [];
  for (const doc of parseAllDocuments(text)) {
    const first = doc.errors[0];
    if (first)
      throw new BadInputError(
        file,
        first.linePos?.[0]?.line,
        `is not valid YAML: ${first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
        'fix the YAML at that line: indentation, a missing colon or an unclosed quote or bracket are the usual causes',
        first.linePos?.[0]?.col,
      );
    const value: unknown = doc.toJS();
    if (isRecord(value)) out.push({ obj: value as K8sObject, file });
  }
  return out;
}

/** Every `<name>.example` whose `<name>` is missing, under `dir` (skipping node_modules). */
export function missingFromExamples(dir: string): string[] {
  const missing: string[] = [];
  const visit = (current: string): void => {
    for (const entry of readdirSync(current)) {
      if (entry === 'node_modules') continue;
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry.endsWith('.example') && !existsSync(full.slice(0, -'.example'.length)))
        missing.push(full);
    }
  };
  visit(dir);
  return missing;
}

export interface RenderOptions {
  kubectl: string;
  /** The folder holding the kustomization to build. */
  dir: string;
  /** Repository root: findings name files relative to it. */
  root: string;
  /**
   * Git-ignored inputs (secretGenerator env files) do not exist in CI or before the learner creates them. When
   * set, this folder is copied to a temp dir and each missing `<name>` is filled from `<name>.example`.
   */
  fillFromExamplesUnder?: string;
}

export interface RenderResult {
  objects: Rendered[];
  /** Repository-relative files that were rendered from their `.example` because the real file is missing. */
  substituted: string[];
}

const manifestInput = /\.(ya?ml|json|env|properties)$/;

/**
 * kustomize reads binary or huge files without complaint (a 10 MB comment block renders fine), so every input it
 * could read is checked first: each is a BadInputError naming the file when empty, binary or oversized.
 */
function guardManifestInputs(dir: string, root: string): void {
  const visit = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (manifestInput.test(entry.name))
        readInputText(root, path.relative(root, full), { kind: 'manifest input' });
    }
  };
  visit(dir);
}

/** Renders with the real `kubectl kustomize`, attributing each object to the file that declared it. */
export function renderKustomize(options: RenderOptions): RenderResult {
  const { kubectl, root } = options;
  guardManifestInputs(options.fillFromExamplesUnder ?? options.dir, root);
  let buildDir = options.dir;
  let tempDir: string | undefined;
  const substituted: string[] = [];
  const copyRoot = options.fillFromExamplesUnder;
  if (copyRoot && missingFromExamples(copyRoot).length > 0) {
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
    cpSync(copyRoot, tempDir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
    for (const example of missingFromExamples(tempDir)) {
      copyFileSync(example, example.slice(0, -'.example'.length));
      substituted.push(
        path
          .relative(root, path.join(copyRoot, path.relative(tempDir, example)))
          .slice(0, -'.example'.length),
      );
    }
    buildDir = path.join(tempDir, path.relative(copyRoot, options.dir));
  }
  try {
    const result = spawnSync(kubectl, ['kustomize', buildDir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const command = `kubectl kustomize ${path.relative(root, options.dir) || '.'}`;
    if (result.error) throw new RenderError(command, result.error.message);
    if (result.status !== 0) throw new RenderError(command, result.stderr.split(buildDir).join(options.dir));
    const objects = parseManifests(result.stdout, path.relative(root, options.dir));
    for (const r of objects) r.file = originFile(r, options.dir, root);
    return { objects, substituted };
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * kustomize's `buildMetadata: [originAnnotations]` records `path:` (a resource file) or `configuredIn:` (the
 * kustomization holding a generator) relative to the built folder. The annotation is removed afterwards, so
 * validators see the object as the cluster would.
 */
function originFile(r: Rendered, builtDir: string, root: string): string {
  const annotations = r.obj.metadata?.annotations;
  const origin = annotations?.[originAnnotation];
  if (!annotations || origin === undefined) return r.file;
  delete annotations[originAnnotation];
  if (Object.keys(annotations).length === 0) delete r.obj.metadata.annotations;
  const match = /^(?:path|configuredIn): (.+)$/m.exec(origin);
  return match?.[1] ? path.relative(root, path.resolve(builtDir, match[1].trim())) : r.file;
}

/**
 * Splits `helm template` output into objects attributed to their template: helm prefixes each document with
 * `# Source: <chart>/templates/<file>`, which maps to `<chartDir>/templates/<file>` (subcharts to
 * `<chartDir>/charts/<sub>/templates/<file>`).
 */
export function parseHelmTemplate(text: string, chartDir: string): Rendered[] {
  const out: Rendered[] = [];
  for (const chunk of text.split(/^---\s*$/m)) {
    const source = /^# Source: [^/\n]+\/(.+)$/m.exec(chunk)?.[1]?.trim();
    const file = source ? path.posix.join(chartDir, source) : chartDir;
    out.push(...parseManifests(chunk, file));
  }
  return out;
}
