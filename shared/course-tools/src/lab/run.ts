// `npm run lab -- <day>` (issue 18): runs a day's README steps in order, in a scratch copy of the repository, and
// compares each output with the README's expected block.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintReadme, trackDirectories, type LintProblem } from './lint.ts';
import { outputMatches } from './match.ts';
import { parseReadme, TIERS, type Step, type Tier } from './steps.ts';

export interface LabOptions {
  root: string;
  /** A day number, or a README path relative to the root (fixtures). */
  day: string;
  tier: Tier;
  fromStep?: number;
  onlyStep?: number;
  update?: boolean;
  log?: (line: string) => void;
}

export interface LabResult {
  ok: boolean;
  ran: number;
  skipped: string[];
  failure?: string;
  lint: LintProblem[];
}

export function readmeOf(root: string, day: string): string {
  if (!/^\d+$/.test(day)) return day;
  const folder = fs.readdirSync(root).find((entry) => entry.startsWith(`day${day}-`));
  if (!folder) throw new Error(`there is no day ${day} (no day${day}-* folder)`);
  return `${folder}/README.md`;
}

/** How to run a tier's steps (DAY stands for the day). */
export const ENABLE: Record<Tier, string> = {
  offline: '',
  docker: 'start Docker (`docker info` must answer), then: npm run lab -- DAY --tier docker',
  cluster: 'create the kind cluster (day 2 step 1), then: npm run lab -- DAY --tier cluster',
  azure: 'az login (and set ARM_SUBSCRIPTION_ID), then: npm run lab -- DAY --tier azure',
};

const PROBE: Record<Tier, string[] | undefined> = {
  offline: undefined,
  docker: ['docker', 'info'],
  cluster: ['kubectl', 'cluster-info', '--request-timeout=5s'],
  azure: ['az', 'account', 'show'],
};

/** Why a tier cannot run on this machine, or undefined when its probe answers. */
export function tierUnavailable(tier: Tier): string | undefined {
  const probe = PROBE[tier];
  if (!probe) return undefined;
  const result = spawnSync(probe[0]!, probe.slice(1), { stdio: 'ignore', timeout: 20_000 });
  return result.status === 0 ? undefined : `\`${probe.join(' ')}\` does not answer on this machine`;
}

/**
 * Mirrors a node_modules folder with one link per package. A package is linked to the checkout's copy, except npm's
 * workspace links (`@taskboard/verify -> ../../shared/verify`), which are recreated with the same relative target so
 * they resolve inside the scratch copy. Linking the whole folder would resolve them to the checkout: a step (or a
 * drill) that edits a file in the scratch copy would then be verified against the checkout's unedited file.
 */
function linkModules(from: string, to: string): void {
  fs.mkdirSync(to);
  for (const entry of fs.readdirSync(from)) {
    const source = path.join(from, entry);
    const stat = fs.lstatSync(source);
    if ((entry.startsWith('@') || entry === '.bin') && stat.isDirectory()) {
      linkModules(source, path.join(to, entry));
    } else if (stat.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(source), path.join(to, entry));
    } else {
      fs.symlinkSync(source, path.join(to, entry));
    }
  }
}

/** Copies the tracked files (as they are in the working tree) to a temp dir; shares installed dependencies. */
export function scratchCopy(root: string): string {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-lab-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(root, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    fs.copyFileSync(from, path.join(scratch, file));
  }
  // node_modules, build output and the bootstrapped tools are not tracked: link them instead of reinstalling.
  // Linked, not copied, so a step must never reinstall them (`npm ci` would empty the checkout's node_modules through
  // the link): such a step is marked scratch=skip.
  const manifest = path.join(root, 'package.json');
  const workspaces = fs.existsSync(manifest)
    ? ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { workspaces?: string[] }).workspaces ?? [])
    : [];
  for (const dir of ['.', ...workspaces]) {
    if (!fs.existsSync(path.join(scratch, dir))) continue;
    const modules = path.join(root, dir, 'node_modules');
    if (fs.existsSync(modules)) linkModules(modules, path.join(scratch, dir, 'node_modules'));
    const dist = path.join(root, dir, 'dist');
    if (fs.existsSync(dist)) fs.symlinkSync(dist, path.join(scratch, dir, 'dist'));
  }
  if (fs.existsSync(path.join(root, '.tools')))
    fs.symlinkSync(path.join(root, '.tools'), path.join(scratch, '.tools'));
  // A repository, so `git rev-parse` and `git check-ignore` in the steps behave as in a clone.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=lab', '-c', 'user.email=lab@example.invalid', 'commit', '-qm', 'lab scratch copy');
  return scratch;
}

interface StepRun {
  status: number;
  output: string;
}

function runScript(
  scratch: string,
  cwd: string,
  script: string,
  stopOnError: boolean,
  state: string,
): StepRun {
  // One bash per step; the variables a step sets and its final directory carry to the next, as in one terminal.
  const wrapper = [
    'exec 2>&1',
    `compgen -v | sort > "${state}.base"`,
    `[ -f "${state}" ] && source "${state}"`,
    // `declare -p` with no names would print every variable, readonly ones included: only list the new ones.
    `trap 'lab_status=$?; set +e; lab_new=$(compgen -v | sort | comm -23 - "${state}.base" | grep -v -e "^BASH" -e "^_$" -e "^PIPESTATUS$" -e "^lab_"); [ -z "$lab_new" ] || declare -p $lab_new > "${state}" 2>/dev/null; exit $lab_status' EXIT`,
    `cd "${path.join(scratch, cwd)}"`,
    stopOnError ? 'set -e' : '',
    script,
  ].join('\n');
  const result = spawnSync('bash', ['-c', wrapper], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Runs of whitespace as one space, as the expected-output matcher counts them (verify aligns `found:    ...`). */
function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function report(step: Step, expected: string, actual: string, why: string): string {
  return [
    `✗ lab step ${step.number} ${why}`,
    '',
    `  where:    ${step.readme}:${step.line}`,
    `  command:  ${step.script.split('\n').join('\n            ')}`,
    `  expected: ${expected.split('\n').join('\n            ')}`,
    `  found:    ${actual.trimEnd().split('\n').join('\n            ')}`,
    `  fix:      correct the command or its expected block, or capture it with: npm run lab -- ${step.readme} --only-step ${step.number} --update`,
  ].join('\n');
}

export function runLab(options: LabOptions): LabResult {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const readme = readmeOf(options.root, options.day);
  const markdown = fs.readFileSync(path.join(options.root, readme), 'utf8');
  const parsed = parseReadme(readme, markdown);
  const lint = lintReadme(parsed, readme, options.root);
  const result: LabResult = { ok: true, ran: 0, skipped: [], lint };
  if (lint.length > 0) {
    result.ok = false;
    result.failure = lint.map((p) => `✗ lab lint: ${p.readme}:${p.line}: ${p.message}`).join('\n');
    return result;
  }
  const selected = TIERS.slice(0, TIERS.indexOf(options.tier) + 1);
  const unavailable = new Map<Tier, string | undefined>();
  const scratch = scratchCopy(options.root);
  const state = path.join(scratch, '.lab-state');
  const updates: { firstLine: number; lastLine: number; text: string }[] = [];
  const skip = (message: string) => {
    result.skipped.push(message);
    log(`⚠ SKIPPED ${message}`);
  };
  try {
    for (const { step, cwd } of trackDirectories(parsed.steps)) {
      const where = `step ${step.number} (${readme}:${step.line}, tier ${step.tier})`;
      if (options.onlyStep !== undefined && step.number !== options.onlyStep) continue;
      if (options.fromStep !== undefined && step.number < options.fromStep) continue;
      if (!selected.includes(step.tier)) {
        skip(
          `${where}: tier ${step.tier} not selected. Enable it with: ${ENABLE[step.tier].replace('DAY', options.day)}`,
        );
        continue;
      }
      if (!unavailable.has(step.tier)) unavailable.set(step.tier, tierUnavailable(step.tier));
      const reason = unavailable.get(step.tier);
      if (reason) {
        skip(`${where}: ${reason}. Enable it with: ${ENABLE[step.tier].replace('DAY', options.day)}`);
        continue;
      }
      if (step.scratchSkipReason) {
        skip(`${where}: ${step.scratchSkipReason}`);
        continue;
      }
      log(`── ${where}, in ${cwd}`);
      for (const line of step.script.split('\n')) log(`$ ${line}`);
      const run = runScript(scratch, cwd, step.script, step.exit !== 'any', state);
      log(run.output.trimEnd());
      result.ran += 1;
      if (step.exit !== 'any' && run.status !== step.exit) {
        result.ok = false;
        result.failure = report(
          step,
          `exit status ${step.exit}`,
          `exit status ${run.status}\n${run.output}`,
          'failed',
        );
        return result;
      }
      const expected = step.expected;
      if (expected && !expected.illustrative && !outputMatches(expected.text, run.output)) {
        if (options.update) {
          updates.push({
            firstLine: expected.firstLine,
            lastLine: expected.lastLine,
            text: run.output.trimEnd(),
          });
          continue;
        }
        result.ok = false;
        result.failure = report(
          step,
          expected.text,
          run.output,
          `output differs (expected block at ${readme}:${expected.line})`,
        );
        return result;
      }
    }
    if (options.onlyStep === undefined && options.fromStep === undefined && selected.includes('offline')) {
      for (const drill of parsed.drills) {
        const file = path.join(scratch, drill.file);
        const original = fs.readFileSync(file, 'utf8');
        log(
          `── drill ${drill.name} (${readme}:${drill.brokenLine}): break ${drill.file}, then: ${drill.check}`,
        );
        fs.writeFileSync(file, original.replace(drill.fixed, drill.broken));
        const broken = runScript(scratch, '.', drill.check, false, `${state}-drill`);
        fs.writeFileSync(file, original);
        const fixed = runScript(scratch, '.', drill.check, false, `${state}-drill`);
        result.ran += 1;
        const problem =
          broken.status === 0
            ? 'the broken snippet passes the check'
            : !squeeze(broken.output).includes(squeeze(drill.message))
              ? `the check fails without the message the README quotes: ${drill.message}`
              : fixed.status !== 0
                ? 'the fixed file fails the check'
                : undefined;
        if (problem) {
          result.ok = false;
          result.failure = [
            `✗ lab drill ${drill.name}: ${problem}`,
            '',
            `  where:    ${readme}:${drill.brokenLine} (broken) and ${readme}:${drill.fixedLine} (fixed), file ${drill.file}`,
            `  command:  ${drill.check}`,
            `  found:    broken run exit ${broken.status}, fixed run exit ${fixed.status}`,
            `            ${(fixed.status !== 0 ? fixed : broken).output.trimEnd().split('\n').slice(-30).join('\n            ')}`,
          ].join('\n');
          return result;
        }
        log(`✓ drill ${drill.name}: the broken snippet fails with "${drill.message}", the fixed one passes`);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (updates.length > 0) {
      const lines = markdown.split('\n');
      for (const update of updates.sort((a, b) => b.firstLine - a.firstLine)) {
        lines.splice(
          update.firstLine - 1,
          update.lastLine - update.firstLine + 1,
          ...update.text.split('\n'),
        );
      }
      fs.writeFileSync(path.join(options.root, readme), lines.join('\n'));
      log(`updated ${updates.length} expected output(s) in ${readme}`);
    }
  }
  return result;
}
