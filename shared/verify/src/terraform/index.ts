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
