// Every day's offline lab tier (issue 18), as `npm run lab -- N --tier offline` runs it: the README's offline steps
// in order in a scratch copy, each output compared with the README's expected block, then the offline form of each
// break/fix drill. The docker, cluster and azure steps cannot run here; each day's are a loud skip below, with the
// reason and the command that runs them.
//
// A day whose offline tier does not pass yet is listed in KNOWN_FAILING with the reason and a piece of the failure it
// gives. Its test requires that failure, so fixing the day (or a new, different fault) fails the test until the
// entry is removed or corrected.
import fs from 'node:fs';
import path from 'node:path';
import { ENABLE, readmeOf, runLab, tierUnavailable } from '../src/lab/run.ts';
import { parseReadme, TIERS, type Tier } from '../src/lab/steps.ts';
import { repoRoot } from '../src/repo.ts';

const root = repoRoot(__dirname);
const DAYS = ['1', '2', '3', '4', '5', '6', '7'];

const KNOWN_FAILING: Record<string, { reason: string; failure: string }> = {};

/** Why npm test leaves a tier out, where its probe answers on this machine. */
const NOT_IN_NPM_TEST: Record<Exclude<Tier, 'offline'>, string> = {
  docker:
    'npm test runs the offline tier only: the docker steps build on base images pulled from Docker Hub, which the CI machine cannot reach',
  cluster: 'npm test runs the offline tier only: the cluster steps need a kind cluster',
  azure: 'npm test runs the offline tier only: the azure steps need an Azure subscription',
};

// A day's lab runs its verify suite once more, in the scratch copy: a few minutes on a busy 2-core machine.
const LAB_TIMEOUT = 20 * 60_000;

describe('offline lab tier (npm run lab -- N --tier offline)', () => {
  for (const day of DAYS) {
    const known = KNOWN_FAILING[day];
    if (known) {
      process.stderr.write(
        `\n⚠ KNOWN FAILING day ${day} offline lab: ${known.reason}. Run it with: npm run lab -- ${day} --tier offline\n`,
      );
      test(
        `day ${day}: offline lab still fails as listed in KNOWN_FAILING (${known.reason})`,
        () => {
          const result = runLab({ root, day, tier: 'offline', log: () => {} });
          if (result.ok) {
            throw new Error(
              `day ${day}'s offline lab passes now: remove it from KNOWN_FAILING in ${path.relative(root, __filename)}`,
            );
          }
          expect(result.failure).toContain(known.failure);
        },
        LAB_TIMEOUT,
      );
      continue;
    }
    const readme = readmeOf(root, day);
    const { steps, drills } = parseReadme(readme, fs.readFileSync(path.join(root, readme), 'utf8'));
    const offline = steps.filter((step) => step.tier === 'offline').length;
    const drillText =
      drills.length === 0
        ? ''
        : `; its ${drills.length} drill(s) fail when broken, with the message the README quotes`;
    test(
      `day ${day}: ${offline} offline step(s) run and print what ${readme} shows${drillText}`,
      () => {
        const result = runLab({ root, day, tier: 'offline', log: () => {} });
        // Offline steps the scratch copy cannot rerun (scratch=skip, such as `npm ci`) are said out loud too.
        for (const skipped of result.skipped.filter((message) => !message.includes('not selected'))) {
          process.stderr.write(`\n⚠ SKIPPED day ${day} lab ${skipped}\n`);
        }
        expect(result.failure).toBeUndefined();
        expect(result.ok).toBe(true);
      },
      LAB_TIMEOUT,
    );
  }
});

describe('lab tiers npm test cannot run', () => {
  const available = new Map<Tier, string | undefined>();
  for (const day of DAYS) {
    const readme = readmeOf(root, day);
    const { steps } = parseReadme(readme, fs.readFileSync(path.join(root, readme), 'utf8'));
    for (const tier of TIERS) {
      if (tier === 'offline') continue;
      const count = steps.filter((step) => step.tier === tier).length;
      if (count === 0) continue;
      if (!available.has(tier)) available.set(tier, tierUnavailable(tier));
      const reason = available.get(tier) ?? NOT_IN_NPM_TEST[tier];
      const enable = ENABLE[tier].replace('DAY', day);
      process.stderr.write(
        `\n⚠ SKIPPED day ${day} lab, ${tier} tier (${count} step${count === 1 ? '' : 's'}): ${reason}. Enable it with: ${enable}\n`,
      );
      test.skip(`day ${day} lab, ${tier} tier: ${count} step${count === 1 ? '' : 's'} [SKIPPED: ${reason}; enable with: ${enable}]`, () => {});
    }
  }
});
