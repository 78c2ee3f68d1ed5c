import {
  assertCheck,
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
} from '@taskboard/verify';
import { fixturePaths, shellcheckCheck } from './checks';

localRuntimeTier('day 6 local runtime: shellcheck', ['shellcheck'], repoRoot, (tools) => {
  it('shellcheck finds nothing in the run: blocks and day6-cicd/scripts', () =>
    assertCheck(shellcheckCheck(tools.shellcheck), repoRoot));

  it('an unquoted variable in a run: block fails the shellcheck check, naming job, step and SC code', async () => {
    const root = copyToTemp(repoRoot, fixturePaths);
    try {
      mutateFile(root, '.github/workflows/kind.yml', (s) =>
        replaceOrThrow(
          s,
          'run: kind delete cluster --name taskboard || true',
          'run: rm -rf $RUNNER_TEMP/kind',
        ),
      );
      await expect(assertCheck(shellcheckCheck(tools.shellcheck), root)).rejects.toThrow(
        /kind\.yml \(job "cluster-tier", step "Delete the cluster", script line 1\)[\s\S]*SC2086/,
      );
    } finally {
      removeTemp(root);
    }
  });
});
