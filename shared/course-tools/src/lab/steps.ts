// Lab steps as data (issue 18). A runnable step is a fenced bash block preceded by a metadata comment:
//
//   <!-- lab: dir=day1-containers tier=offline -->
//   ```bash
//   ...
//   ```
//   <!-- lab: expect -->
//   ```text
//   ...
//   ```
//
// HTML comments are invisible on GitHub, so the README reads as before. Keys:
//   dir=PATH     the directory (from the repository root) the step runs in; the lint checks it against the `cd`s
//                of the steps before it
//   tier=T       offline | docker | cluster | azure
//   exit=N|any   the exit status the step ends with (default 0)
//   state=P,Q    files an earlier day created that this step reads (the lint accepts them as present)
//   scratch=skip the step is not rerun in the scratch copy (it shares the checkout's node_modules); reason=...
// `<!-- lab: expect -->` compares the next text block with the step's output; `<!-- lab: expect illustrative -->`
// marks an output this machine cannot capture (its tier does not run here) and is not compared.
// A drill (break it, fix it) has an offline form: `<!-- lab: drill=NAME file=PATH role=broken -->` before the broken
// snippet and `<!-- lab: drill=NAME role=fixed check="COMMAND" message="TEXT" -->` before the fixed one. The runner
// finds the fixed snippet in PATH, swaps in the broken one, runs COMMAND, which must fail and print TEXT (runs of
// spaces count as one, as in expected outputs), restores the file and runs COMMAND again, which must pass.

export const TIERS = ['offline', 'docker', 'cluster', 'azure'] as const;
export type Tier = (typeof TIERS)[number];

export interface Step {
  /** 1-based number among the README's steps. */
  number: number;
  readme: string;
  /** Line of the opening ```bash fence. */
  line: number;
  dir: string;
  tier: Tier;
  exit: number | 'any';
  scratchSkipReason?: string;
  /** Paths an earlier day created, which this step reads (state=PATH,PATH). */
  state: string[];
  script: string;
  expected?: Expected;
}

export interface Expected {
  /** Line of the opening ```text fence. */
  line: number;
  /** Lines between the fences (the fences excluded). */
  firstLine: number;
  lastLine: number;
  text: string;
  illustrative: boolean;
}

export interface Drill {
  name: string;
  readme: string;
  file: string;
  broken: string;
  brokenLine: number;
  fixed: string;
  fixedLine: number;
  check: string;
  message: string;
}

export interface ParsedReadme {
  steps: Step[];
  drills: Drill[];
  /** Fenced bash blocks with no lab metadata: every command must be data. */
  unmarked: { line: number }[];
  problems: { line: number; message: string }[];
  /** Text of the Prerequisites section (a table or a list), lowercased. */
  prerequisites: string;
}

const META = /^<!--\s*lab:(.*?)-->\s*$/;

/** Reads `key=value` and `key="value with spaces"` pairs. */
export function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g)) {
    attributes.set(match[1]!, match[2] ?? match[3] ?? '');
  }
  return attributes;
}

interface Fence {
  info: string;
  line: number;
  body: string;
  bodyFirstLine: number;
  bodyLastLine: number;
  endIndex: number;
}

function readFence(lines: string[], index: number): Fence | undefined {
  const open = /^(\s*)(`{3,})(\S*)/.exec(lines[index] ?? '');
  if (!open) return undefined;
  const closing = new RegExp(`^\\s*${open[2]}\\s*$`);
  let end = index + 1;
  while (end < lines.length && !closing.test(lines[end]!)) end += 1;
  const indent = open[1]!.length;
  const body = lines
    .slice(index + 1, end)
    .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)));
  return {
    info: open[3]!,
    line: index + 1,
    body: body.join('\n'),
    bodyFirstLine: index + 2,
    bodyLastLine: end,
    endIndex: end,
  };
}

export function parseReadme(readme: string, markdown: string): ParsedReadme {
  const lines = markdown.split('\n');
  const result: ParsedReadme = { steps: [], drills: [], unmarked: [], problems: [], prerequisites: '' };
  const drills = new Map<string, Partial<Drill>>();
  let pending: Map<string, string> | undefined;
  let pendingLine = 0;
  let inPrerequisites = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (/^##\s/.test(line)) inPrerequisites = /^##\s+prerequisites/i.test(line);
    else if (inPrerequisites) result.prerequisites += `${line.toLowerCase()}\n`;
    const meta = META.exec(line);
    if (meta) {
      pending = parseAttributes(meta[1]!);
      pendingLine = index + 1;
      continue;
    }
    const fence = readFence(lines, index);
    if (!fence) {
      if (line.trim() !== '' && pending) {
        result.problems.push({
          line: pendingLine,
          message: 'lab metadata must be followed by a fenced block',
        });
        pending = undefined;
      }
      continue;
    }
    const attributes = pending;
    pending = undefined;
    index = fence.endIndex;
    if (attributes?.has('drill')) {
      const name = attributes.get('drill')!;
      const drill = drills.get(name) ?? { name, readme };
      if (attributes.get('role') === 'broken') {
        drill.file = attributes.get('file');
        drill.broken = fence.body;
        drill.brokenLine = fence.line;
      } else {
        drill.fixed = fence.body;
        drill.fixedLine = fence.line;
        drill.check = attributes.get('check');
        drill.message = attributes.get('message');
      }
      drills.set(name, drill);
      continue;
    }
    if (attributes?.has('expect')) {
      const step = result.steps.at(-1);
      if (!step || step.expected) {
        result.problems.push({ line: fence.line, message: 'an expected output must follow its step' });
        continue;
      }
      step.expected = {
        line: fence.line,
        firstLine: fence.bodyFirstLine,
        lastLine: fence.bodyLastLine,
        text: fence.body,
        illustrative: attributes.has('illustrative'),
      };
      continue;
    }
    if (fence.info !== 'bash' && fence.info !== 'sh') continue;
    if (!attributes) {
      result.unmarked.push({ line: fence.line });
      continue;
    }
    const tier = attributes.get('tier') as Tier | undefined;
    const dir = attributes.get('dir');
    if (!tier || !TIERS.includes(tier) || dir === undefined) {
      result.problems.push({
        line: pendingLine,
        message: `a step needs dir=PATH and tier=${TIERS.join('|')}`,
      });
      continue;
    }
    const exit = attributes.get('exit');
    result.steps.push({
      number: result.steps.length + 1,
      readme,
      line: fence.line,
      dir,
      tier,
      exit: exit === undefined ? 0 : exit === 'any' ? 'any' : Number(exit),
      scratchSkipReason:
        attributes.get('scratch') === 'skip' ? (attributes.get('reason') ?? 'scratch=skip') : undefined,
      state: (attributes.get('state') ?? '').split(',').filter(Boolean),
      script: fence.body,
    });
  }
  for (const drill of drills.values()) {
    if (
      drill.file &&
      drill.broken !== undefined &&
      drill.fixed !== undefined &&
      drill.check &&
      drill.message
    ) {
      result.drills.push(drill as Drill);
    } else {
      result.problems.push({
        line: drill.brokenLine ?? drill.fixedLine ?? 0,
        message: `drill ${drill.name} needs a role=broken block with file= and a role=fixed block with check= and message=`,
      });
    }
  }
  return result;
}
