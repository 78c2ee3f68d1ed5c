// Runs a day's static checks in-process against each mutant: one copy of the repository, the mutated file written
// into it, the checks run, the file restored. A mutant is killed when a real check reports a violation (or throws).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../bad-input';
import type { Check } from '../check';
import { copyToTemp, removeTemp } from '../fixtures';
import type { Mutant, MutantResult } from './types';
import { lineMutants } from './line-mutants';
import { yamlMutants } from './yaml-mutants';

/** Every mutant of the given repository-relative files, in file order, then in source order within a file. */
export function generateMutants(root: string, files: string[]): Mutant[] {
  return files.flatMap((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    return /\.(ya?ml|json)$/.test(file) ? yamlMutants(file, text) : lineMutants(file, text);
  });
}

/** mulberry32: a small seeded generator, so `--seed S` picks the same sample on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` mutants drawn without replacement (a seeded Fisher-Yates shuffle), in their original order. */
export function sampleMutants(mutants: Mutant[], size: number, seed: number): Mutant[] {
  if (size >= mutants.length) return mutants;
  const next = random(seed);
  const indexes = mutants.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((i) => mutants[i]!);
}

async function runCheck(check: Check, root: string): Promise<{ files: string[]; crash?: string }> {
  try {
    return { files: (await check.run(root)).map((v) => v.file) };
  } catch (error) {
    if (error instanceof BadInputError) return { files: [error.file] };
    return { files: [], crash: error instanceof Error ? error.message : String(error) };
  }
}

export interface RunOptions {
  /** Repository-relative paths the checks read; copied once into a temp dir. */
  copyPaths: string[];
  onResult?: (result: MutantResult, index: number) => void;
}

/** Runs `checks` on each mutant in a single temp copy of `root`. Throws if the checks fail on the unmutated copy. */
export async function runMutants(
  root: string,
  checks: Check[],
  mutants: Mutant[],
  options: RunOptions,
): Promise<MutantResult[]> {
  const copy = copyToTemp(root, options.copyPaths);
  try {
    for (const check of checks) {
      const baseline = await runCheck(check, copy);
      if (baseline.files.length > 0 || baseline.crash)
        throw new Error(
          `check "${check.title}" already fails on the unmutated copy (${baseline.crash ?? baseline.files.join(', ')}): ` +
            'mutation results would mean nothing; make the day green first',
        );
    }
    const results: MutantResult[] = [];
    for (const [index, mutant] of mutants.entries()) {
      const full = path.join(copy, mutant.file);
      const original = readFileSync(full, 'utf8');
      writeFileSync(full, mutant.text);
      try {
        const failed: string[] = [];
        const crashed: string[] = [];
        let located = false;
        for (const check of checks) {
          const outcome = await runCheck(check, copy);
          if (outcome.crash) {
            crashed.push(check.title);
            failed.push(check.title);
            located ||= outcome.crash.includes(mutant.file);
          } else if (outcome.files.length > 0) {
            failed.push(check.title);
            located ||= outcome.files.includes(mutant.file);
          }
        }
        const result = { mutant, failed, located, crashed };
        results.push(result);
        options.onResult?.(result, index);
      } finally {
        writeFileSync(full, original);
      }
    }
    return results;
  } finally {
    removeTemp(copy);
  }
}
