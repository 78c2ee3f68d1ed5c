// The vocabulary of `npm run verify:mutate`: a mutant, what the checks said about it, and a day's figures.

export type MutationOperator =
  | 'delete'
  | 'flip'
  | 'change-number'
  | 'sibling'
  | 'other-string'
  | 'rename'
  | 'rename-key'
  | 'widen'
  | 'delete-line';

/** One small, realistic mistake in one file: the file's whole text after the edit. */
export interface Mutant {
  /** `<file>#<path>:<operator>[=<new value>]`: stable for a given file content, and what the accepted list names. */
  id: string;
  file: string;
  /** Where in the file: `jobs.test.timeout-minutes`. */
  path: string;
  operator: MutationOperator;
  text: string;
}

export interface MutantResult {
  mutant: Mutant;
  /** Titles of the checks that failed on the mutant. */
  failed: string[];
  /** Some failure names the mutated file: the learner is sent to the right place. */
  located: boolean;
  /** A check threw instead of reporting (a crash is a failure too, but not a message a learner can act on). */
  crashed: string[];
}
