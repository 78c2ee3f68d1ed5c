// Issue 19: `npm run verify:day1` hung after its results when nginx never answered its probe, because
// startNginx threw without stopping the nginx it had started. Real nginx, so gated like the day 1 runtime tier.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { freePort, localRuntimeTier, prepareNginx, repoRoot, startNginx, type NginxPrefix } from '../src';

/** Pids of the processes whose command line names `dir` (a unique temp folder, nginx's -p prefix); Linux /proc. */
function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // nginx rewrites its argv into a title ("nginx: master process ... -p <dir> ..."), so match a substring.
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

localRuntimeTier('startNginx on a probe that never answers', ['nginx'], repoRoot, (tools) => {
  let prefix: NginxPrefix | undefined;
  afterAll(() => {
    for (const pid of prefix ? processesUsing(prefix.dir) : []) process.kill(pid, 'SIGKILL');
    if (prefix) rmSync(prefix.dir, { recursive: true, force: true });
  });

  it('rejects and leaves no nginx running', async () => {
    const port = await freePort();
    const closedPort = await freePort();
    prefix = await prepareNginx(tools.nginx, `server { listen 127.0.0.1:${port}; return 200; }\n`);

    // The probe names a port nginx does not listen on, so the wait times out (after 15 s).
    await expect(startNginx(tools.nginx, prefix, `http://127.0.0.1:${closedPort}/`)).rejects.toThrow(
      /timed out .* waiting for nginx answering/,
    );

    expect(processesUsing(prefix.dir)).toEqual([]);
  }, 60_000);
});
