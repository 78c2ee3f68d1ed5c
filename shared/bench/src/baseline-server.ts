// The bench's baseline: a bare Express + pg server answering the same three task routes with the same SQL text
// the API's knex repository sends (the bench proves it with pg_stat_statements), and nothing else: no validation,
// no logging, no metrics, no security headers. Usage: DATABASE_URL=... PORT=... DB_POOL_MAX=10 node baseline-server.ts
import { randomUUID } from 'node:crypto';
import express from 'express';
import pg from 'pg';

const columns =
  'id, title, description, status, priority, due_date::text as due_date, version, created_at, updated_at';
export const baselineSql = {
  list: `select ${columns} from "tasks" order by "created_at" desc, "id" desc limit $1`,
  byId: `select ${columns} from "tasks" where "id" = $1 limit $2`,
  insert: `insert into "tasks" ("created_at", "description", "due_date", "id", "priority", "status", "title", "updated_at", "version") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${columns}`,
} as const;

interface Row {
  id: string;
  title: string;
  description: string;
  status: string;
  priority: string;
  due_date: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

// The same response shape as the API, so both servers serialise the same bytes.
const toTask = (row: Row) => ({
  id: row.id,
  title: row.title,
  description: row.description,
  status: row.status,
  priority: row.priority,
  dueDate: row.due_date,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

function main(): void {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_MAX ?? 10),
  });
  const app = express();

  app.get('/api/tasks', async (_req, res) => {
    const limit = 20;
    const { rows } = await pool.query<Row>(baselineSql.list, [limit + 1]);
    const items = rows.slice(0, limit).map(toTask);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')
        : null;
    res.json({ items, nextCursor });
  });

  app.get('/api/tasks/:id', async (req, res) => {
    const { rows } = await pool.query<Row>(baselineSql.byId, [req.params.id, 1]);
    if (rows[0]) res.json(toTask(rows[0]));
    else res.status(404).json({ status: 404 });
  });

  app.post('/api/tasks', express.json(), async (req, res) => {
    const body = req.body as { title: string; description?: string; status?: string; priority?: string };
    const now = new Date().toISOString();
    const { rows } = await pool.query<Row>(baselineSql.insert, [
      now,
      body.description ?? '',
      null,
      randomUUID(),
      body.priority ?? 'medium',
      body.status ?? 'todo',
      body.title,
      now,
      1,
    ]);
    res.status(201).json(toTask(rows[0] as Row));
  });

  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.main) main();
