// The real API on a real PostgreSQL, driven through every route, so /metrics shows every series it can export.
// The static checks compare queries with this output, and the runtime tier points Prometheus at it.
import { startApi, type RunningApi } from '@taskboard/verify/src/services';
import { startTestPostgres, type TestPostgres } from '@taskboard/testkit';

export interface ApiSession {
  api: RunningApi;
  db: TestPostgres;
  stop(): Promise<void>;
}

export async function startApiSession(root: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ApiSession> {
  const db = await startTestPostgres();
  try {
    // LOG_LEVEL info: the runtime tier reads the API's completion lines (what Alloy ships in the cluster).
    const api = await startApi(root, db.url, { LOG_LEVEL: 'info', ...extraEnv });
    return {
      api,
      db,
      async stop() {
        await api.process.stop();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return response;
}

/** One pass over every route: creates, reads, updates, lists, deletes, plus a 404 and a 400. */
export async function exerciseRoutes(baseUrl: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/api/tasks`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ title: 'observe me', priority: 'high' }),
  });
  if (created.status !== 201)
    throw new Error(`POST /api/tasks answered ${created.status}: ${await created.text()}`);
  const task = (await created.json()) as { id: string; version: number };
  await call(`${baseUrl}/api/tasks/${task.id}`);
  await call(`${baseUrl}/api/tasks/${task.id}`, {
    method: 'PATCH',
    headers: json,
    body: JSON.stringify({ version: task.version, status: 'done' }),
  });
  await call(`${baseUrl}/api/tasks?limit=5`);
  await call(`${baseUrl}/api/stats`);
  await call(`${baseUrl}/api/info`);
  await call(`${baseUrl}/api/tasks/${task.id}`, { method: 'DELETE' });
  await call(`${baseUrl}/api/tasks/${task.id}`);
  await call(`${baseUrl}/api/tasks`, { method: 'POST', headers: json, body: '{}' });
  await call(`${baseUrl}/healthz`);
  await call(`${baseUrl}/readyz`);
}

export async function scrapeMetrics(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  return response.text();
}
