import path from 'node:path';
import { defineCheck, registerChecks, repoRoot, violationsFor } from '@taskboard/verify/src/check';
import { findTool } from '@taskboard/verify/src/tools';
import { runTerraform } from '@taskboard/verify/src/terraform';
import { ENV_DIR } from './checks';

/*
 * Cloud tier: against the learner's real Azure subscription, after README steps 1-5 (az login, bootstrap, init
 * with backend.hcl, apply). It asks whether Azure still matches the code: terraform plan -detailed-exitcode
 * exits 0 with no changes, 2 on drift. Never required locally; the Azure workflow sets VERIFY_AZURE=1.
 */
const enable =
  'az login && export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv) && VERIFY_AZURE=1 npm run verify:day5 (after day5-terraform/README.md steps 1-5)';
const terraform = findTool('terraform', repoRoot);
const reason =
  process.env.VERIFY_AZURE !== '1'
    ? 'needs an Azure subscription and VERIFY_AZURE is not 1'
    : !terraform
      ? 'terraform not found on PATH'
      : undefined;

if (reason) process.stderr.write(`\n⚠ SKIPPED day 5 cloud tier: ${reason}. Enable it with: ${enable}\n`);

const v = violationsFor('day5-terraform/README.md#7-detect-drift');

(reason ? describe.skip : describe)(
  reason ? `day 5 cloud tier [SKIPPED: ${reason}; enable with: ${enable}]` : 'day 5 cloud tier',
  () => {
    registerChecks(
      [
        defineCheck(
          'envs/dev: Azure matches the code (terraform plan -detailed-exitcode shows no drift)',
          (root) => {
            const cwd = path.join(root, ENV_DIR);
            const init = runTerraform(terraform!, cwd, [
              'init',
              '-input=false',
              '-backend-config=backend.hcl',
            ]);
            if (init.status !== 0) {
              return [
                v(`${ENV_DIR}/backend.hcl`, init.command, {
                  expected: 'init succeeds',
                  actual: init.output.slice(-800),
                  fix: 'write backend.hcl from the bootstrap output (README step 3)',
                }),
              ];
            }
            const plan = runTerraform(terraform!, cwd, [
              'plan',
              '-input=false',
              '-lock-timeout=60s',
              '-detailed-exitcode',
            ]);
            if (plan.status === 0) return [];
            return [
              v(ENV_DIR, plan.command, {
                expected: 'exit 0: no changes',
                actual: plan.status === 2 ? `drift:\n${plan.output.slice(-1500)}` : plan.output.slice(-800),
                fix: 'apply the code (terraform apply) or bring the change into the code (README step 7)',
              }),
            ];
          },
        ),
      ],
      repoRoot,
    );
  },
);
