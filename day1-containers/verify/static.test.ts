// Tier 1, always runs: parse, schema, policy and cross-reference checks of day 1's files.
import { registerChecks, repoRoot } from '@taskboard/verify';
import {
  apiImageChecks,
  composeChecks,
  dockerignoreChecks,
  nginxChecks,
  webImageChecks,
} from './static-checks';

describe('static: api image (api.Dockerfile)', () => registerChecks(apiImageChecks, repoRoot));
describe('static: web image (web.Dockerfile)', () => registerChecks(webImageChecks, repoRoot));
describe('static: build context (.dockerignore)', () => registerChecks(dockerignoreChecks, repoRoot));
describe('static: compose.yaml', () => registerChecks(composeChecks, repoRoot));
describe('static: nginx template', () => registerChecks(nginxChecks, repoRoot));
