// GitHub Actions workflow files (day 6): a located error when a file is not a workflow at all, before any check
// reads a field of it. actionlint stays the authority on everything inside a well-formed workflow.
import { BadInputError } from './bad-input';
import { readYamlSource, yamlKindOf } from './files';

export interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface WorkflowJob {
  'runs-on'?: unknown;
  uses?: string;
  permissions?: unknown;
  'timeout-minutes'?: number;
  steps?: WorkflowStep[];
  [key: string]: unknown;
}

export interface Workflow {
  name?: string;
  on: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, WorkflowJob>;
  [key: string]: unknown;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `.github/workflows/<name>.yaml`. Malformed YAML, an empty file, a top level that is not a mapping, no `on:`,
 * `jobs:` missing or not a mapping, or a job that is not a mapping with `runs-on:`, `uses:` or `steps:` all throw a
 * BadInputError naming the file and line.
 */
export function readWorkflow(root: string, file: string): Workflow {
  const source = readYamlSource(root, file);
  const value: unknown = source.doc.toJS();
  const fix =
    'a workflow is a mapping with on: (its triggers) and jobs: (a mapping of job id to job); see the day 6 README';
  if (!isMapping(value))
    throw new BadInputError(
      file,
      source.lineOf([]),
      `is not a workflow: the top level must be a mapping, found ${yamlKindOf(value)}`,
      fix,
    );
  if (!('on' in value))
    throw new BadInputError(file, 1, 'is not a workflow: it has no on: (the events that trigger it)', fix);
  const jobs = value.jobs;
  if (!isMapping(jobs))
    throw new BadInputError(
      file,
      'jobs' in value ? source.lineOf(['jobs']) : 1,
      `is not a workflow: jobs must be a mapping of job id to job, found ${'jobs' in value ? yamlKindOf(jobs) : 'no jobs:'}`,
      fix,
    );
  for (const [id, job] of Object.entries(jobs)) {
    if (!isMapping(job) || !('runs-on' in job || 'uses' in job))
      throw new BadInputError(
        file,
        source.lineOf(['jobs', id]),
        `job "${id}" must be a mapping with runs-on: (or uses: for a reusable workflow), found ${isMapping(job) ? 'neither' : yamlKindOf(job)}`,
        'give the job runs-on: ubuntu-24.04 and its steps:, or uses: <reusable workflow>',
      );
  }
  return value as Workflow;
}
