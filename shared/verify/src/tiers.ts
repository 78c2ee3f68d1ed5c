import { CheckFailedError } from './check';
import { dockerEngineAnswers, findTool, installCommands, isCI, type ToolName } from './tools';

export type Tools = Record<ToolName, string>;

/**
 * A skipped tier is announced on stderr while jest collects tests, and its describe title carries the reason and
 * the enabling command, so both jest's verbose output and the progress table's skipped list show it.
 */
function loudSkip(name: string, reason: string, enable: string, body: () => void): void {
  process.stderr.write(`\n⚠ SKIPPED ${name}: ${reason}. Enable it with: ${enable}\n`);
  describe.skip(`${name} [SKIPPED: ${reason}; enable with: ${enable}]`, body);
}

/**
 * Declares a local-runtime tier that needs real tools. When all are found, `body` runs inside a describe with
 * their paths. When one is missing: with CI=true one failing check names it; elsewhere the tier is a loud skip.
 * `body` must use the tool paths only inside hooks and tests (during a skip they are undefined).
 */
export function localRuntimeTier(
  name: string,
  needs: ToolName[],
  root: string,
  body: (tools: Tools) => void,
): void {
  const found: Partial<Tools> = {};
  for (const tool of needs) found[tool] = findTool(tool, root);
  const missing = needs.filter((tool) => !found[tool]);
  const tools = found as Tools;
  if (missing.length === 0) {
    describe(name, () => body(tools));
    return;
  }
  const reason = `${missing.join(', ')} not found on PATH or in .tools/`;
  const enable = missing.map((tool) => installCommands[tool]).join('; ');
  if (isCI()) {
    describe(name, () => {
      it(`${missing.join(', ')} installed (required with CI=true)`, () => {
        throw new CheckFailedError(`${name} needs ${missing.join(', ')}`, [
          {
            file: '.ci/run',
            object: `tier "${name}"`,
            expected: `${missing.join(', ')} on PATH or in .tools/`,
            actual: reason,
            fix: enable,
            docs: 'README.md#prerequisites',
          },
        ]);
      });
    });
    return;
  }
  loudSkip(name, reason, enable, () => body(tools));
}

/** Declares the container tier: it runs only when a Docker engine answers, and is a loud skip otherwise (CI too). */
export function containerTier(name: string, root: string, body: (tools: Tools) => void): void {
  const engine = dockerEngineAnswers(root);
  const tools = { docker: findTool('docker', root) } as Tools;
  if (engine.ok) describe(name, () => body(tools));
  else loudSkip(name, engine.reason, installCommands.docker, () => body(tools));
}
