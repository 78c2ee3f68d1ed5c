import path from 'node:path';
import { BadInputError, docsFor } from './bad-input';

/** One reason a check failed, written for the learner: where, what was expected, what was found, how to fix it. */
export interface Violation {
  /** Repository-relative file, e.g. `day1-containers/api.Dockerfile`. */
  file: string;
  /** The object inside the file, e.g. `stage "runtime"` or `service "api"`. */
  object: string;
  expected: string;
  actual: string;
  fix: string;
  /** README section, e.g. `day1-containers/README.md#verify`. */
  docs: string;
}

/** A named rule. `run` gets the repository root, so fixture tests can point it at a mutated copy. */
export interface Check {
  /** States what must be true: `api.Dockerfile final stage runs as a non-root USER`. */
  title: string;
  run(root: string): Violation[] | Promise<Violation[]>;
}

export function defineCheck(title: string, run: Check['run']): Check {
  return { title, run };
}

/** Shorthand for building violations that all point at the same README section. */
export function violationsFor(docs: string) {
  return (
    file: string,
    object: string,
    details: Pick<Violation, 'expected' | 'actual' | 'fix'>,
  ): Violation => ({
    file,
    object,
    ...details,
    docs,
  });
}

export function formatViolation(v: Violation): string {
  return [
    `  where:    ${v.file} (${v.object})`,
    `  expected: ${v.expected}`,
    `  found:    ${v.actual}`,
    `  fix:      ${v.fix}`,
    `  docs:     ${v.docs}`,
  ].join('\n');
}

export function formatViolations(title: string, violations: Violation[]): string {
  return [`✗ ${title}`, ...violations.map(formatViolation)].join('\n\n');
}

/** A failed check. The message is everything the learner needs; the stack is noise and is dropped. */
export class CheckFailedError extends Error {
  constructor(
    title: string,
    readonly violations: Violation[],
  ) {
    super(formatViolations(title, violations));
    this.name = 'CheckFailed';
    this.stack = this.message;
  }
}

/** A corrupted input, as the violation a learner reads: the file and line, what is wrong, how to fix it. */
export function badInputViolation(error: BadInputError): Violation {
  return {
    file: error.file,
    object: error.line
      ? `line ${error.line}${error.column ? `, column ${error.column}` : ''}`
      : 'the whole file',
    expected: 'a readable input this check can parse',
    actual: error.problem,
    fix: error.fix,
    docs: docsFor(error.file),
  };
}

/**
 * Runs a check and throws CheckFailedError when it found anything: the single assertion of a jest test. A loader's
 * BadInputError (malformed, empty, binary or oversized input) fails the check the same way, never as a crash.
 */
export async function assertCheck(check: Check, root: string): Promise<void> {
  let violations: Violation[];
  try {
    violations = await check.run(root);
  } catch (error) {
    if (error instanceof BadInputError) throw new CheckFailedError(check.title, [badInputViolation(error)]);
    throw error;
  }
  if (violations.length > 0) throw new CheckFailedError(check.title, violations);
}

/** Registers one jest test per check, in order. */
export function registerChecks(checks: Check[], root: string): void {
  for (const check of checks) it(check.title, () => assertCheck(check, root));
}

/** `<repo>/shared/verify/src` -> `<repo>`. */
export const repoRoot = path.resolve(__dirname, '../../..');
