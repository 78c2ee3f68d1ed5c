// `npm run verify:mutate -- [--day N] [--sample K] [--seed S] [--runtime] [--verbose] [--out results.json]
// [--ids survivors.txt]`: mutates each day's artefacts and runs the day's static checks (with --runtime, also its
// local-tier linters) on every mutant. Exits 1 when a survivor is not in the day's accepted list.
import { readFileSync, writeFileSync } from 'node:fs';
import { repoRoot } from '../check';
import { mutationDays } from './days';
import { formatReport, mutateDay } from './report';

function option(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} takes a whole number, got ${args[i + 1]}`);
  return value;
}

export async function main(args: string[]): Promise<number> {
  const dayNumber = option(args, '--day');
  const sample = option(args, '--sample');
  const seed = option(args, '--seed') ?? 1;
  const verbose = args.includes('--verbose');
  const runtime = args.includes('--runtime');
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
  const all: unknown[] = [];
  // `--ids file`: only the mutants listed (one id a line), e.g. the survivors of an earlier run, while triaging.
  const idsFile = args.includes('--ids') ? args[args.indexOf('--ids') + 1] : undefined;
  const ids = idsFile ? new Set(readFileSync(idsFile, 'utf8').split('\n').filter(Boolean)) : undefined;
  const days = mutationDays.filter((d) => dayNumber === undefined || d.day === dayNumber);
  if (days.length === 0) {
    process.stderr.write(
      `verify:mutate: day ${dayNumber} has no mutation targets yet; days with targets: ` +
        `${mutationDays.map((d) => d.day).join(', ')}\n`,
    );
    return 2;
  }
  let untriaged = 0;
  for (const day of days) {
    process.stdout.write(`day ${day.day} (${day.folder}), seed ${seed}; not run: ${day.notRun}\n`);
    const report = await mutateDay(repoRoot, day, {
      sample,
      seed,
      runtime,
      only: ids ? (m) => ids.has(m.id) : undefined,
      onResult: (result, index, total) => {
        if (!verbose) {
          if ((index + 1) % 50 === 0) process.stdout.write(`  ${index + 1}/${total}\n`);
          return;
        }
        const outcome =
          result.failed.length === 0 ? 'SURVIVED' : result.located ? 'killed' : 'killed (not located)';
        process.stdout.write(`  [${index + 1}/${total}] ${outcome}: ${result.mutant.id}\n`);
      },
    });
    process.stdout.write(`${formatReport(report, sample === undefined)}\n`);
    untriaged += report.untriaged.length;
    all.push(
      ...report.results.map(({ mutant, failed, located, crashed }) => ({
        day: day.day,
        id: mutant.id,
        failed,
        located,
        crashed,
      })),
    );
  }
  if (out) writeFileSync(out, `${JSON.stringify(all, null, 1)}\n`);
  return untriaged === 0 ? 0 : 1;
}
