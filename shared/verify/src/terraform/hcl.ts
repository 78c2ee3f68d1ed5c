import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { BadInputError, MAX_INPUT_BYTES } from '../bad-input';

/** The JSON form of an HCL body as @cdktf/hcl2json returns it: blocks become arrays of objects. */
export type HclBody = Record<string, unknown>;

export interface HclFile {
  /** Repository-relative path. */
  file: string;
  text: string;
  body: HclBody;
}

/**
 * An HCL file that does not parse: the message names the file and, when the parser knows it, the line. A
 * BadInputError, so a check that does not catch it still fails with this located message (assertCheck).
 */
export class HclParseError extends BadInputError {
  constructor(
    file: string,
    line: number | undefined,
    readonly detail: string,
  ) {
    super(
      file,
      line,
      `HCL does not parse: ${detail}`,
      'fix the HCL at that line (terraform fmt names the same place), or restore the file from git',
    );
    this.name = 'HclParseError';
  }
}

/** Parses one HCL file (`.tf`, `.tftest.hcl`, `.tfvars`, backend `.hcl`). Throws HclParseError on bad input. */
export async function parseHclFile(root: string, file: string): Promise<HclFile> {
  const size = statSync(path.join(root, file)).size;
  if (size > MAX_INPUT_BYTES)
    throw new HclParseError(
      file,
      undefined,
      `the file is ${(size / 1024 / 1024).toFixed(1)} MB, far beyond any Terraform file (limit ${MAX_INPUT_BYTES / 1024 / 1024} MB)`,
    );
  const buffer = readFileSync(path.join(root, file));
  if (buffer.includes(0))
    throw new HclParseError(file, undefined, 'the file is binary (it contains NUL bytes)');
  const text = buffer.toString('utf8');
  try {
    const body = (await parse(file, text)) as HclBody;
    return { file, text, body: body ?? {} };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // hcl2json reports "parse config: [<file>:<line>,<col>-[<line>,]<col>: <summary>; <detail>]".
    // The range may span lines: "main.tf:2,10-3,1: ...".
    const located = /:(\d+),\d+(?:-(?:\d+,)?\d+)?: (.*?)\]?$/s.exec(message);
    throw new HclParseError(
      file,
      located ? Number(located[1]) : undefined,
      located ? (located[2] ?? message) : message,
    );
  }
}

/** Every file under `dir` (repository-relative) whose name passes `keep`, skipping `.terraform` working dirs. */
export function filesUnder(root: string, dir: string, keep: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel)).sort()) {
      if (entry === '.terraform' || entry === 'node_modules') continue;
      const child = path.posix.join(rel, entry);
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else if (keep(entry)) found.push(child);
    }
  };
  walk(dir);
  return found;
}

/** Folders under `dir` that hold `.tf` files: each is a Terraform root or module. */
export function terraformDirsUnder(root: string, dir: string): string[] {
  const dirs = new Set(
    filesUnder(root, dir, (name) => name.endsWith('.tf')).map((f) => path.posix.dirname(f)),
  );
  return [...dirs].sort();
}

/** 1-based line of the first line at or after `from` matching `pattern`, or undefined. */
export function lineMatching(text: string, pattern: RegExp, from = 1): number | undefined {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (pattern.test(lines[i] ?? '')) return i + 1;
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Line of a block header such as `resource "azurerm_key_vault" "this" {`. */
export function blockLine(text: string, keyword: string, labels: string[] = []): number | undefined {
  const labelPattern = labels.map((l) => `\\s+"${escape(l)}"`).join('');
  return lineMatching(text, new RegExp(`^\\s*${escape(keyword)}${labelPattern}\\s*\\{`));
}

/** Line of `name =` at or after the block starting on `blockStart`, before the next top-level block. */
export function attributeLine(text: string, blockStart: number, name: string): number | undefined {
  const lines = text.split('\n');
  for (let i = blockStart; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\S/.test(line) && !line.startsWith('}')) break;
    if (new RegExp(`^\\s*${escape(name)}\\s*=`).test(line)) return i + 1;
  }
  return undefined;
}

/** The first object of an hcl2json block array (`[{...}]`), or undefined. */
export function firstBlock(value: unknown): HclBody | undefined {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'object'
    ? (value[0] as HclBody)
    : undefined;
}

/** Every string inside a parsed value, for reference scans (`${module.x.y}`, `${var.z}`). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A literal is a value with no `${...}` interpolation: what a hard-coded secret looks like. */
export function isLiteral(value: unknown): boolean {
  return typeof value === 'string'
    ? !value.includes('${')
    : typeof value === 'number' || typeof value === 'boolean';
}
