// The ceiling: how many queries per second one pg client gets through, back to back, with the same SQL the
// servers send. Runs in its own process. Usage: node ceiling.ts '<CeilingSpec JSON>'; prints one JSON line.
import pg from 'pg';
import { baselineSql } from './baseline-server.ts';

export interface CeilingSpec {
  readonly databaseUrl: string;
  readonly durationSeconds: number;
  readonly ids: readonly string[];
}

export interface CeilingResult {
  /** Queries per second for the list page and the lookup by id, each on one connection, one at a time. */
  readonly listQps: number;
  readonly byIdQps: number;
}

async function rate(client: pg.Client, seconds: number, query: (i: number) => Promise<unknown>) {
  // Warm the connection and the plan cache first, as the servers' pools are warm.
  for (let i = 0; i < 200; i++) await query(i);
  let count = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) await query(count++);
  return count / ((performance.now() - started) / 1000);
}

export async function measureCeiling(spec: CeilingSpec): Promise<CeilingResult> {
  const client = new pg.Client({ connectionString: spec.databaseUrl });
  await client.connect();
  try {
    const listQps = await rate(client, spec.durationSeconds, () => client.query(baselineSql.list, [21]));
    const byIdQps = await rate(client, spec.durationSeconds, (i) =>
      client.query(baselineSql.byId, [spec.ids[i % spec.ids.length], 1]),
    );
    return { listQps, byIdQps };
  } finally {
    await client.end();
  }
}

if (import.meta.main) {
  const spec = JSON.parse(process.argv[2] ?? '') as CeilingSpec;
  process.stdout.write(`${JSON.stringify(await measureCeiling(spec))}\n`);
}
