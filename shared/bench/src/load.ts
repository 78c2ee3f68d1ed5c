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

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    requests: requestsFor(spec.scenario, spec.ids),
  });
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

if (import.meta.main) {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  process.stdout.write(`${JSON.stringify(await runLoad(spec))}\n`);
}
