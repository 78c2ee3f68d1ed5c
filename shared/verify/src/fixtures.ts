import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const skipped = new Set(['node_modules', 'dist', '.data', 'coverage', 'artifacts']);

/**
 * Copies `paths` (files or folders, repository-relative) from `root` into a fresh temp dir laid out like the
 * repository, leaving out installed and generated folders. Checks then run against the copy with its root.
 */
export function copyToTemp(root: string, paths: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-fixture-'));
  for (const rel of paths) {
    const from = path.join(root, rel);
    if (!existsSync(from)) throw new Error(`fixture source ${rel} does not exist under ${root}`);
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(from, path.join(dir, rel), { recursive: true, filter: (src) => !skipped.has(path.basename(src)) });
  }
  return dir;
}

/** Rewrites one file of a fixture. Throws when the edit changes nothing, so a fixture can never test the original. */
export function mutateFile(root: string, file: string, edit: (content: string) => string): void {
  const full = path.join(root, file);
  const before = readFileSync(full, 'utf8');
  const after = edit(before);
  if (after === before)
    throw new Error(`mutation of ${file} changed nothing: the fixture would test the unbroken file`);
  writeFileSync(full, after);
}

/** `replace` that must match: a pattern that silently stops matching would make the mutation a no-op. */
export function replaceOrThrow(content: string, search: string | RegExp, replacement: string): string {
  const found = typeof search === 'string' ? content.includes(search) : search.test(content);
  if (!found) throw new Error(`mutation pattern ${String(search)} not found`);
  return content.replace(search, replacement);
}

export function removeTemp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
