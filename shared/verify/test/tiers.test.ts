// The skip rule end to end: a child jest runs a tier whose tool is missing, once as a learner, once as CI.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

function runTierFixture(env: NodeJS.ProcessEnv) {
  const jest = require.resolve('jest/bin/jest', { paths: [repoRoot] });
  const result = spawnSync(
    process.execPath,
    [jest, '-c', path.join(__dirname, 'fixtures', 'jest.config.js'), '--verbose', '--ci'],
    // PATH holds only node's folder: terraform (in /usr/local/bin on some machines) cannot be found.
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { HOME: process.env.HOME, PATH: path.dirname(process.execPath), ...env },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('localRuntimeTier with a missing tool', () => {
  it('is a loud skip for a learner: reason and install command printed, the check counted as skipped', () => {
    const { status, output } = runTierFixture({});
    expect(output).toContain(
      '⚠ SKIPPED fixture tier needing terraform: terraform not found on PATH or in .tools/',
    );
    expect(output).toMatch(/Enable it with: bash scripts\/bootstrap-tools\.sh \(puts Terraform >= 1\.14/);
    expect(output).toMatch(/Tests: +1 skipped, 1 total/);
    expect(status).toBe(0);
  });

  it('fails with CI=true, naming the tool and how to install it', () => {
    const { status, output } = runTierFixture({ CI: 'true' });
    expect(output).toMatch(/✕ terraform installed \(required with CI=true\)/);
    expect(output).toMatch(/fix: +bash scripts\/bootstrap-tools\.sh \(puts Terraform >= 1\.14/);
    expect(status).toBe(1);
  });
});
