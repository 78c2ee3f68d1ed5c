// `npm test` runs this first (the root package.json's "pretest"). Plain JavaScript that any old Node can start,
// so a learner on Node 20 reads one clear line instead of dozens of failing tests.
import { fileURLToPath } from 'node:url';

/** The oldest Node the tests pass on: 22.18 runs the course's .ts tools without a flag (the doctor agrees). */
export const MINIMUM_NODE = [22, 18];
export const RECOMMENDED_NODE = '24';

/** The problem with running on `found` (e.g. "20.20.2"), or null when it is new enough. */
export function nodeVersionProblem(found) {
  const [major = 0, minor = 0] = found.replace(/^v/, '').split('.').map(Number);
  const [minMajor, minMinor] = MINIMUM_NODE;
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return null;
  return (
    `npm test needs Node ${minMajor}.${minMinor} or later (${RECOMMENDED_NODE} recommended, see .nvmrc), ` +
    `but this is Node ${found.replace(/^v/, '')}.\n` +
    `Fix: source scripts/bootstrap-tools.sh (puts Node ${RECOMMENDED_NODE} first on PATH), or nvm use, ` +
    'then run npm test again.'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
