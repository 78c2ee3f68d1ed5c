// Usage: npm run lab -- <day> [--tier offline|docker|cluster|azure] [--from-step N] [--only-step N] [--update]
// Runs the day's README steps in a scratch copy of the repository (src/lab/run.ts); exit 1 on a lint problem or a
// step whose status or output differs from the README.
import { runLab } from '../src/lab/run.ts';
import { TIERS, type Tier } from '../src/lab/steps.ts';
import { repoRoot } from '../src/repo.ts';

const USAGE =
  'usage: npm run lab -- <day> [--tier offline|docker|cluster|azure] [--from-step N] [--only-step N] [--update]';

function main(argv: string[]): number {
  const [day, ...rest] = argv;
  if (day === undefined || day.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  let tier: Tier = 'offline';
  let fromStep: number | undefined;
  let onlyStep: number | undefined;
  let update = false;
  for (let i = 0; i < rest.length; i += 1) {
    const flag = rest[i];
    if (flag === '--update') update = true;
    else if (flag === '--tier' && TIERS.includes(rest[i + 1] as Tier)) tier = rest[++i] as Tier;
    else if (flag === '--from-step' && /^\d+$/.test(rest[i + 1] ?? '')) fromStep = Number(rest[++i]);
    else if (flag === '--only-step' && /^\d+$/.test(rest[i + 1] ?? '')) onlyStep = Number(rest[++i]);
    else {
      console.error(`lab: unknown or incomplete argument ${flag}\n${USAGE}`);
      return 2;
    }
  }
  const result = runLab({ root: repoRoot(), day, tier, fromStep, onlyStep, update });
  if (!result.ok) {
    console.error(`\n${result.failure ?? 'lab failed'}`);
    return 1;
  }
  console.log(
    `\nlab ${day}: ${result.ran} step(s) ran and matched the README, ${result.skipped.length} skipped`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
