import { spawnSync } from 'node:child_process';

/**
 * The cluster tier runs only with VERIFY_CLUSTER=1 and a kube context that answers; otherwise it is a loud skip
 * naming the command that enables it (also with CI=true: the kind workflow sets VERIFY_CLUSTER=1 itself).
 */
export function clusterAvailability(
  kubectl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; context: string } | { ok: false; reason: string } {
  if (env.VERIFY_CLUSTER !== '1') return { ok: false, reason: 'VERIFY_CLUSTER is not 1' };
  if (!kubectl) return { ok: false, reason: 'kubectl not found on PATH or in .tools/' };
  const context = spawnSync(kubectl, ['config', 'current-context'], { encoding: 'utf8', timeout: 10_000 });
  if (context.status !== 0)
    return { ok: false, reason: 'no current kube context (kubectl config current-context)' };
  const ping = spawnSync(kubectl, ['get', '--raw', '/readyz'], { encoding: 'utf8', timeout: 15_000 });
  if (ping.status !== 0) {
    return {
      ok: false,
      reason: `context ${context.stdout.trim()} does not answer (${ping.stderr.trim().split('\n')[0]})`,
    };
  }
  return { ok: true, context: context.stdout.trim() };
}

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function kubectlRun(
  kubectl: string,
  args: string[],
  input?: string,
  timeoutMs = 300_000,
): KubectlResult {
  const result = spawnSync(kubectl, args, {
    encoding: 'utf8',
    input,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
  };
}
