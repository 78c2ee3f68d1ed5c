import type { Dockerfile, Instruction, ModifiableInstruction } from 'dockerfile-ast';

export interface Stage {
  /** `AS` name, or the stage index as a string. */
  name: string;
  image: string;
  tag: string | null;
  digest: string | null;
  line: number;
  instructions: Instruction[];
}

/** Splits a parsed Dockerfile into build stages, each with the instructions after its FROM. */
export function stagesOf(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile
        .getFROMs()
        .find((f) => f.getRange().start.line === instruction.getRange().start.line);
      stages.push({
        name: from?.getBuildStage() ?? String(stages.length),
        image: from?.getImageName() ?? '',
        tag: from?.getImageTag() ?? null,
        digest: from?.getImageDigest() ?? null,
        line: instruction.getRange().start.line + 1,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** Instructions of one keyword in a stage. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

/** Exec form is a JSON array: the process gets signals directly instead of through `/bin/sh -c`. */
export function isExecForm(instruction: Instruction): boolean {
  const content = (instruction.getArgumentsContent() ?? '').trim();
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string');
  } catch {
    return false;
  }
}

/** `COPY [--flags] src... dest` split into flags, sources and destination. */
export function copyParts(instruction: Instruction): {
  from?: string;
  sources: string[];
  destination: string;
} {
  // ModifiableInstruction (COPY, ADD) reports --flags separately from its arguments.
  const flags = (instruction as ModifiableInstruction).getFlags?.() ?? [];
  const from = flags.find((f) => f.getName() === 'from')?.getValue() ?? undefined;
  const rest = instruction.getArguments().map((a) => a.getValue());
  return { from, sources: rest.slice(0, -1), destination: rest.at(-1) ?? '' };
}

/** 1-based line of an instruction, for messages. */
export function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}
