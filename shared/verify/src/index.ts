// The verify toolkit's public API; shared/verify/README.md documents it with examples.
export {
  defineCheck,
  registerChecks,
  assertCheck,
  violationsFor,
  formatViolations,
  badInputViolation,
  CheckFailedError,
  repoRoot,
  type Check,
  type Violation,
} from './check';
export { findTool, isCI, installCommands, dockerEngineAnswers, type ToolName } from './tools';
export { localRuntimeTier, containerTier, type Tools } from './tiers';
export {
  readText,
  readJson,
  readYaml,
  readYamlSource,
  yamlKindOf,
  readDockerfile,
  fileExists,
  isDirectory,
  dockerignoreMatcher,
  type YamlSource,
} from './files';
export { BadInputError, readInputText, MAX_INPUT_BYTES, docsFor, type ReadInputOptions } from './bad-input';
export { readWorkflow, type Workflow, type WorkflowJob, type WorkflowStep } from './workflow';
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
