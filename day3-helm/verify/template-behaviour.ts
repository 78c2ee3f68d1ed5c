import { CheckFailedError, type Violation } from '@taskboard/verify/src/check';
import type { Rendered } from '@taskboard/verify/src/k8s';

export const CHART_TEMPLATES = 'day3-helm/charts/taskboard/templates';
const DOCS = 'day3-helm/README.md#verify';

/**
 * What one template behaviour touched: the `--set` flags of its last render and the template files of the
 * objects it looked at. A failure is then reported like any verify check (where, expected, found, fix) instead of
 * a raw jest diff, so the learner sees which template to open and what to change.
 */
export class BehaviourTrace {
  sets: string[] = [];
  files = new Set<string>();

  rendered(sets: string[]): void {
    this.sets = sets;
  }

  looked(objects: Rendered[]): Rendered[] {
    for (const r of objects) this.files.add(r.file);
    return objects;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const plain = (text: string) => text.replace(ANSI, '');
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** jest's assertion errors carry what was compared; other errors (helm failing, `one` finding two) their text. */
function comparison(error: unknown): Pick<Violation, 'expected' | 'actual'> {
  const result = (error as { matcherResult?: { expected?: unknown; actual?: unknown; message?: string } })
    .matcherResult;
  if (result && ('expected' in result || 'actual' in result)) {
    return { expected: show(result.expected), actual: show(result.actual) };
  }
  const message = plain(error instanceof Error ? error.message : String(error))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return { expected: 'the chart renders as the behaviour describes', actual: message };
}

/** Runs one behaviour; any failure becomes a CheckFailedError that names the templates, the flags and the fix. */
export function checkBehaviour(title: string, fix: string, body: (trace: BehaviourTrace) => void): void {
  const trace = new BehaviourTrace();
  try {
    body(trace);
  } catch (error) {
    const files = [...trace.files].sort();
    const flags = trace.sets.length ? trace.sets.map((s) => `--set ${s}`).join(' ') : 'the default values';
    throw new CheckFailedError(title, [
      {
        file: files.length ? files.join(', ') : CHART_TEMPLATES,
        object: `helm template with ${flags}`,
        ...comparison(error),
        fix,
        docs: DOCS,
      },
    ]);
  }
}
