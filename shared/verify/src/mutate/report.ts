// One day's mutation run and its figures: generated, run, killed, located, accepted, and the untriaged survivors.
import type { Check } from '../check';
import { acceptedBy, readAccepted, type AcceptedSurvivor } from './accepted';
import type { MutationDay } from './days';
import { generateMutants, runMutants, sampleMutants } from './engine';
import type { Mutant, MutantResult } from './types';

export interface DayReport {
  day: number;
  generated: number;
  run: number;
  killed: number;
  located: number;
  accepted: number;
  /** Survivors no entry of the accepted list covers: each needs a check, a fix or an entry with its reason. */
  untriaged: MutantResult[];
  /** Killed but no violation names the mutated file. */
  unlocated: MutantResult[];
  /** Accepted entries that matched no survivor in this run (meaningful on a full run only). */
  stale: AcceptedSurvivor[];
  results: MutantResult[];
}

export interface DayRunOptions {
  sample?: number;
  seed?: number;
  /** Runs only the mutants this keeps (after sampling). */
  only?: (mutant: Mutant) => boolean;
  /** Adds the day's local-tier checks (`--runtime`). */
  runtime?: boolean;
  /** Replaces the day's checks: the toolkit test removes one to prove the gate notices. */
  checks?: Check[];
  onResult?: (result: MutantResult, index: number, total: number) => void;
}

export async function mutateDay(
  root: string,
  day: MutationDay,
  options: DayRunOptions = {},
): Promise<DayReport> {
  const all = generateMutants(root, day.targets(root));
  const sampled = options.sample === undefined ? all : sampleMutants(all, options.sample, options.seed ?? 1);
  const chosen = options.only ? sampled.filter(options.only) : sampled;
  const accepted = readAccepted(root, day.folder);
  const checks = [
    ...(options.checks ?? day.checks()),
    ...(options.runtime ? (day.runtimeChecks?.(root) ?? []) : []),
  ];
  const results = await runMutants(root, checks, chosen, {
    copyPaths: day.copyPaths(),
    onResult: (result, index) => options.onResult?.(result, index, chosen.length),
  });
  const killed = results.filter((r) => r.failed.length > 0);
  const survived = results.filter((r) => r.failed.length === 0);
  const used = new Set<AcceptedSurvivor>();
  const untriaged = survived.filter((r) => {
    const entry = acceptedBy(accepted, r.mutant.id);
    if (entry) used.add(entry);
    return !entry;
  });
  return {
    day: day.day,
    generated: all.length,
    run: chosen.length,
    killed: killed.length,
    located: killed.filter((r) => r.located).length,
    accepted: survived.length - untriaged.length,
    untriaged,
    unlocated: killed.filter((r) => !r.located),
    stale: accepted.filter((entry) => !used.has(entry)),
    results,
  };
}

const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`);

export function formatReport(report: DayReport, full: boolean): string {
  const lines = [
    `day ${report.day}: ${report.generated} generated, ${report.run} run, ${report.killed} killed ` +
      `(${percent(report.killed, report.run)}), ${report.located} located (${percent(report.located, report.killed)} ` +
      `of killed), ${report.accepted} accepted, ${report.untriaged.length} untriaged`,
  ];
  for (const r of report.untriaged) lines.push(`  survived: ${r.mutant.id}`);
  for (const r of report.unlocated)
    lines.push(`  killed, not located: ${r.mutant.id} (by ${r.failed.join('; ')})`);
  if (full)
    for (const entry of report.stale) lines.push(`  stale accepted entry (matched no survivor): ${entry.id}`);
  return lines.join('\n');
}
