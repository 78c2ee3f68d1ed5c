// Corrupted inputs (malformed YAML, empty or binary files, a 10 MB file where a config belongs, a Dockerfile with no
// FROM, HCL that does not parse, a workflow that is not a mapping) are the learner's to fix, not the toolkit's
// bugs. Loaders throw BadInputError; assertCheck turns it into a located failure, without a stack trace.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * No config file of the course comes near this (the largest, package-lock.json, is under 0.5 MB). Anything larger
 * is the wrong file (a log, an archive, a swap file), and parsing it would only be slow before failing.
 */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

export class BadInputError extends Error {
  constructor(
    /** Repository-relative file. */
    readonly file: string,
    /** 1-based line, when it is known. */
    readonly line: number | undefined,
    /** What is wrong, in the learner's terms. */
    readonly problem: string,
    /** How to fix it. */
    readonly fix = 'open the file, correct it as the message says, and run verify again',
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${problem}`);
    this.name = 'BadInputError';
    // The message is the whole report; a stack would point into the toolkit, not at the learner's file.
    this.stack = this.message;
  }
}

/** 1-based line and column of a byte offset into UTF-8 `bytes`. */
function positionOf(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  const line = before.filter((byte) => byte === 0x0a).length + 1;
  return { line, column: offset - (before.lastIndexOf(0x0a) + 1) + 1 };
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const byte = bytes[i] as number;
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

export interface ReadInputOptions {
  /** A zero-byte or whitespace-only file is an error unless this is set. */
  allowEmpty?: boolean;
  /** Named in messages: `Dockerfile`, `YAML file`, `Terraform file`... */
  kind?: string;
}

/**
 * Reads a text input for a check: it must exist, be at most MAX_INPUT_BYTES, be UTF-8 text (no NUL bytes) and,
 * unless allowed, not be empty. Every failure is a BadInputError naming the file (and the line, for binary content).
 */
export function readInputText(root: string, file: string, options: ReadInputOptions = {}): string {
  const kind = options.kind ?? 'file';
  const full = path.join(root, file);
  if (!existsSync(full))
    throw new BadInputError(file, undefined, `${kind} not found`, `create ${file} (see the day's README)`);
  const stats = statSync(full);
  if (stats.isDirectory())
    throw new BadInputError(
      file,
      undefined,
      `is a directory, expected a ${kind}`,
      `put the ${kind} at ${file}`,
    );
  if (stats.size > MAX_INPUT_BYTES) {
    const size = (stats.size / 1024 / 1024).toFixed(1);
    throw new BadInputError(
      file,
      undefined,
      `is ${size} MB; a ${kind} of this course is far below ${MAX_INPUT_BYTES / 1024 / 1024} MB, so this is not the file you meant`,
      `restore ${file} from git (git checkout -- ${file}) or rewrite it; check that nothing (a log, a build) writes into it`,
    );
  }
  const bytes = readFileSync(full);
  const nul = bytes.indexOf(0);
  const invalid = nul === -1 ? firstInvalidUtf8(bytes) : nul;
  if (invalid !== -1) {
    const { line, column } = positionOf(bytes, invalid);
    throw new BadInputError(
      file,
      line,
      `is binary, not UTF-8 text (${nul === -1 ? 'invalid UTF-8' : 'a NUL byte'} at byte ${invalid})`,
      `restore ${file} from git (git checkout -- ${file}) or save it again as UTF-8 text`,
      column,
    );
  }
  const text = bytes.toString('utf8');
  if (!options.allowEmpty && text.trim() === '')
    throw new BadInputError(
      file,
      undefined,
      `is empty; expected a ${kind}`,
      `restore ${file} from git (git checkout -- ${file}) or write it as the README shows`,
    );
  return text;
}

/** Where a day's README is for a file of that day; the course README otherwise. */
export function docsFor(file: string): string {
  const top = file.split('/')[0] ?? '';
  return /^day\d/.test(top) ? `${top}/README.md` : 'README.md';
}
