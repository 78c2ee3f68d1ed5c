// Terraform helpers for the day 5 and day 7 suites: HCL loading (hcl2json), the module model, and real-tool runs.
export {
  HclParseError,
  parseHclFile,
  filesUnder,
  terraformDirsUnder,
  lineMatching,
  blockLine,
  attributeLine,
  firstBlock,
  stringsIn,
  isLiteral,
  type HclBody,
  type HclFile,
} from './hcl';
export {
  loadTerraformModule,
  type TfModule,
  type TfVariable,
  type TfOutput,
  type TfModuleCall,
  type TfResource,
  type TfRequiredProvider,
  type TfBackend,
  type Located,
} from './model';
export { terraformFmtCheck, runTerraform, terraformEnv, type TerraformRun } from './fmt';
export {
  SCHEMA_DIR,
  REGENERATE_COMMAND,
  loadSchemaFiles,
  providerMirror,
  type SchemaSource,
  type ProviderSchemaFile,
} from './providers';
export {
  TERRAFORM_TREES,
  parseDiagnostics,
  copyTerraformTrees,
  initValidateTestWithSchemas,
  providerTierViolations,
  providerTierCheck,
  schemaVersions,
  type TerraformDiagnostic,
} from './provider-tier';
