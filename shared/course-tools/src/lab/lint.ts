// Lab lint (issue 18): for every step, runnable here or not, the directory it declares is the one the `cd`s before
// it leave the learner in, every relative path it names exists from there (or an earlier step created it), and every
// tool it calls is named in the day's Prerequisites section.
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedReadme, Step } from './steps.ts';

export interface LintProblem {
  readme: string;
  line: number;
  message: string;
}

// Shell keywords and POSIX/coreutils commands every course machine has; git and bash fetched the course itself.
const BASE_TOOLS = new Set(
  (
    'cd echo grep sed cat rm cp mv mkdir chmod du head tail sort uniq seq sleep kill wait base64 mktemp export ' +
    'touch tee wc cut tr true false test printf env ls find xargs awk set unset source bash sh git for do done ' +
    'if then else fi while in until case esac time exit return read'
  ).split(' '),
);

// A command and the words a Prerequisites section uses for it.
const TOOL_NAMES: Record<string, string[]> = {
  node: ['node.js'],
  npm: ['node.js'],
  npx: ['node.js'],
  docker: ['docker'],
  terraform: ['terraform', 'opentofu'],
  tofu: ['opentofu'],
  az: ['azure cli', '`az`'],
  gh: ['github cli', '`gh`'],
};

const PATH_EXTENSION =
  /\.(ya?ml|json|tf|tfvars|hcl|sh|ts|mjs|js|txt|tar|env|example|md|conf|template|alloy)$|Dockerfile$/;

/** Joins `\` continuations and drops heredoc bodies and comments; returns the shell lines the learner types. */
export function commandLines(script: string): string[] {
  const joined = script.replace(/\\\n/g, ' ').split('\n');
  const lines: string[] = [];
  let heredocEnd: string | undefined;
  for (const raw of joined) {
    if (heredocEnd !== undefined) {
      if (raw.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(raw);
    if (heredoc) heredocEnd = heredoc[1];
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line !== '') lines.push(line);
  }
  return lines;
}

/** Shell words of one line, quotes removed (good enough for the READMEs' commands). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The commands a line runs: the first word of each pipeline part, list element and command substitution. */
export function toolsOf(line: string): string[] {
  const tools: string[] = [];
  const withoutQuotes = line.replace(/'[^']*'/g, "''");
  for (const part of withoutQuotes.split(/\|\||&&|[|;&`]|\$\(|<\(|\(|\)|\{|\}/)) {
    const parts = words(part).filter((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
    const first = parts[0];
    if (first && /^[a-z][\w.-]*$/.test(first)) tools.push(first);
  }
  return tools;
}

/** Paths a line writes (so a later step may read them): redirections, cp/mv targets, mkdir, -out=, dest=. */
function writtenPaths(line: string): string[] {
  const written: string[] = [];
  for (const match of line.matchAll(/>{1,2}\s*"?([^\s"&|;)]+)/g)) written.push(match[1]!);
  for (const match of line.matchAll(/(?:-out=|dest=|-generate-config-out=)([^\s,"]+)/g))
    written.push(match[1]!);
  for (const part of line.split(/&&|;|\|/)) {
    const w = words(part.trim()).filter((word) => !word.startsWith('-'));
    if ((w[0] === 'cp' || w[0] === 'mv') && w.length >= 3) written.push(w.at(-1)!);
    if (w[0] === 'mkdir') written.push(...w.slice(1));
  }
  return written.filter((p) => !p.startsWith('/') && !p.includes('$'));
}

function pathCandidates(line: string, root: string, cwd: string): string[] {
  const candidates: string[] = [];
  let afterShowOnly = false;
  for (let word of words(line).flatMap((w) => w.split(/[\s()]+/))) {
    if (afterShowOnly) {
      // helm template --show-only names a file inside the chart, not one relative to the step's directory.
      afterShowOnly = false;
      continue;
    }
    if (word === '--show-only') afterShowOnly = true;
    const eq = word.lastIndexOf('=');
    if (eq > 0) word = word.slice(eq + 1);
    if (word.startsWith('-') || word === '' || /[$<>{}*?`:@%\\]/.test(word) || word.startsWith('/')) continue;
    if (word.startsWith('~')) continue;
    const firstSegment = word.split('/')[0]!;
    const looksLikePath =
      word.startsWith('./') ||
      word.startsWith('../') ||
      (word.includes('/') &&
        (fs.existsSync(path.join(root, firstSegment)) ||
          fs.existsSync(path.join(root, cwd, firstSegment)))) ||
      PATH_EXTENSION.test(word);
    if (looksLikePath) candidates.push(word);
  }
  return candidates;
}

function nameInPrerequisites(tool: string, prerequisites: string): boolean {
  const names = TOOL_NAMES[tool] ?? [tool];
  return names.some((name) =>
    new RegExp(`(^|[^\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(prerequisites),
  );
}

// `cd "$(git rev-parse --show-toplevel)/X"` works from wherever the learner stands: the cleanups use it.
const FROM_TOP = '$(git rev-parse --show-toplevel)';

/** The directory a top-level `cd` line moves to, or undefined when the line is not one the lint can follow. */
export function cdTarget(line: string, cwd: string): string | undefined {
  const cd = /^cd\s+("[^"]*"|\S+)\s*(?:$|&&|;)/.exec(line);
  if (!cd) return undefined;
  const target = cd[1]!.replace(/^"|"$/g, '');
  if (target.startsWith(FROM_TOP)) return path.normalize(`.${target.slice(FROM_TOP.length)}`) || '.';
  if (target.includes('$')) return undefined;
  return path.normalize(path.join(cwd, target));
}

export interface TrackedStep {
  step: Step;
  /** Directory the learner is in when the step starts, relative to the repository root ('.' for the root). */
  cwd: string;
}

/** Follows top-level `cd`s through the steps, so each step knows where the learner stands. */
export function trackDirectories(steps: readonly Step[], start = '.'): TrackedStep[] {
  let cwd = start;
  return steps.map((step) => {
    const tracked = { step, cwd };
    for (const line of commandLines(step.script)) cwd = cdTarget(line, cwd) ?? cwd;
    return tracked;
  });
}

export function lintReadme(parsed: ParsedReadme, readme: string, root: string): LintProblem[] {
  const problems: LintProblem[] = parsed.problems.map((p) => ({ readme, ...p }));
  for (const { line } of parsed.unmarked) {
    problems.push({
      readme,
      line,
      message:
        'a bash block without lab metadata: add <!-- lab: dir=PATH tier=offline|docker|cluster|azure -->',
    });
  }
  const created = new Set<string>();
  const isDay = /^day\d+-/.test(readme);
  const checkTools = isDay || parsed.prerequisites.trim() !== '';
  if (isDay && parsed.prerequisites.trim() === '') {
    problems.push({
      readme,
      line: 1,
      message: 'a day README needs a Prerequisites section naming its tools',
    });
  }
  const report = (line: number, message: string) => {
    if (!problems.some((p) => p.line === line && p.message === message))
      problems.push({ readme, line, message });
  };
  for (const { step, cwd } of trackDirectories(parsed.steps)) {
    // Files an earlier day leaves (terraform.tfvars, backend.hcl): declared with state=PATH,PATH.
    for (const p of step.state) created.add(path.normalize(p));
    if (path.normalize(step.dir) !== cwd) {
      problems.push({
        readme,
        line: step.line,
        message: `step ${step.number} declares dir=${step.dir} but the steps before it leave the learner in ${cwd}`,
      });
    }
    let here = cwd;
    for (const line of commandLines(step.script)) {
      for (const tool of toolsOf(line)) {
        if (checkTools && !BASE_TOOLS.has(tool) && !nameInPrerequisites(tool, parsed.prerequisites)) {
          report(
            step.line,
            `step ${step.number} calls \`${tool}\`, which the Prerequisites section does not list`,
          );
        }
      }
      const written = new Set(writtenPaths(line).map((p) => path.normalize(path.join(here, p))));
      const isSubshell = line.startsWith('(');
      if (!isSubshell) {
        for (const candidate of pathCandidates(line, root, here)) {
          const resolved = path.normalize(path.join(here, candidate));
          if (written.has(resolved) || created.has(resolved) || fs.existsSync(path.join(root, resolved)))
            continue;
          report(
            step.line,
            `step ${step.number} uses ${candidate}, which does not exist from ${here} (${resolved})`,
          );
        }
      }
      for (const p of written) created.add(p);
      here = cdTarget(line, here) ?? here;
    }
  }
  for (const drill of parsed.drills) {
    if (!fs.existsSync(path.join(root, drill.file))) {
      problems.push({
        readme,
        line: drill.brokenLine,
        message: `drill ${drill.name}: ${drill.file} does not exist`,
      });
    } else if (!fs.readFileSync(path.join(root, drill.file), 'utf8').includes(drill.fixed)) {
      problems.push({
        readme,
        line: drill.fixedLine,
        message: `drill ${drill.name}: the fixed snippet is not in ${drill.file} as shown`,
      });
    }
  }
  return problems;
}
