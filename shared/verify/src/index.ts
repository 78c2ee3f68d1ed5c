// The verify toolkit's public API; shared/verify/README.md documents it with examples.
export {
  defineCheck,
  registerChecks,
  assertCheck,
  violationsFor,
  formatViolations,
  CheckFailedError,
  repoRoot,
  type Check,
  type Violation,
} from './check';
export { findTool, isCI, installCommands, dockerEngineAnswers, type ToolName } from './tools';
export { localRuntimeTier, containerTier, type Tools } from './tiers';
export { readText, readYaml, readDockerfile, fileExists, isDirectory, dockerignoreMatcher } from './files';
export { stagesOf, instructionsOf, isExecForm, copyParts, lineOf, type Stage } from './dockerfile';
export {
  validateCompose,
  environmentOf,
  networksOf,
  containerPortsOf,
  type ComposeFile,
  type ComposeService,
} from './compose';
export { copyToTemp, mutateFile, replaceOrThrow, removeTemp } from './fixtures';
export {
  runCommand,
  startApi,
  renderTemplate,
  prepareNginx,
  testNginxConfig,
  startNginx,
  type RunningApi,
  type NginxPrefix,
} from './services';
export { freePort, waitFor, startProcess, stopAll, startTestPostgres } from '@taskboard/testkit';
export { parseNginxConfig, findDirectives, findLocation, type NginxDirective } from './nginx-conf';
