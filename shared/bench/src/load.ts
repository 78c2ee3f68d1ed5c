// One autocannon run in its own process, so the load generator never shares an event loop with the bench or
// the server. Usage: node load.ts '<LoadSpec JSON>'; prints one LoadResult JSON line on stdout.
import autocannon from 'autocannon';

export type Scenario = 'list' | 'byId' | 'create' | 'mixed';

export interface LoadSpec {
  readonly url: string;
  readonly scenario: Scenario;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Seeded task ids; GET /api/tasks/:id picks from them in turn. */
  readonly ids: readonly string[];
}

export interface LoadResult {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** Responses other than 2xx (every request here must succeed). */
  readonly non2xx: number;
  /** The load generator's own CPU time per request: it shares the machine's cores with the server. */
  readonly generatorCpuMsPerRequest: number;
}

type Request = NonNullable<autocannon.Options['requests']>[number];

function requestsFor(scenario: Scenario, ids: readonly string[]): Request[] {
  let next = 0;
  const list: Request = { method: 'GET', path: '/api/tasks' };
  const byId: Request = {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/api/tasks/${ids[next++ % ids.length]}` }),
  };
  const create: Request = {
    method: 'POST',
    path: '/api/tasks',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'bench task', description: 'created under load', priority: 'low' }),
  };
  switch (scenario) {
    case 'list':
      return [list];
    case 'byId':
      return [byId];
    case 'create':
      return [create];
    case 'mixed':
      // Each connection cycles through these five: four reads, one write.
      return [list, byId, list, byId, create];
  }
}

/** The value below which `share` of the sorted samples fall (nearest rank). */
function percentile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  // autocannon's own histogram counts whole milliseconds, too coarse for a 1.3x p99 goal on sub-millisecond
  // answers: keep every response time (hrtime, fractional ms) and take the percentiles from them.
  const durations: number[] = [];
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationSeconds,
        requests: requestsFor(spec.scenario, spec.ids),
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      durations.push(responseTime);
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(durations).sort();
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    rps: result.requests.average,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    generatorCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, result.requests.total),
  };
}

if (import.meta.main) {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  process.stdout.write(`${JSON.stringify(await runLoad(spec))}\n`);
}
