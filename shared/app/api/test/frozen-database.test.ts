// A hung database (issue 16): every PostgreSQL process is frozen with SIGSTOP for a few seconds under concurrent
// writers, then resumed with SIGCONT. A frozen server accepts TCP and reads nothing, so requests time out with
// the statement possibly still to run: the outcome is unknown. The writers do what a careful client does: retry
// every failed request, POST with the same Idempotency-Key and PATCH with the same version. Afterwards the
// database must hold no duplicate task and every acknowledged write, and no answer may have been a 500.
// No assertion is about time: the freeze lasts a few seconds, and every wait is a generous bounded poll.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import {
  freePort,
  startTestPostgres,
  waitFor,
  type RunningProcess,
  type TestPostgres,
} from '@taskboard/testkit';
import { createFreshPostgresDatabase } from './helpers/database';
import { assertServerBuilt, describeWithPostgresServer, startBuiltServer } from './helpers/postgres-server';

jest.setTimeout(300_000);

const WRITERS = 8;
/** Acknowledged operations wanted before the freeze and again after it. */
const ACKS_PER_STAGE = 60;
/** How long PostgreSQL stays frozen: several request timeouts (DB_TIMEOUT_MS is 1 s here). */
const FREEZE_MS = 8000;
/** Safety bounds: one operation is retried at most this often; one writer runs at most this many operations. */
const MAX_ATTEMPTS = 400;
const MAX_OPERATIONS = 2000;
const STATUSES = ['todo', 'in_progress', 'done'] as const;

type Answer =
  { kind: 'answered'; status: number; body: Record<string, unknown>; replayed: boolean } | { kind: 'none' };

interface Tracked {
  id: string;
  title: string;
  version: number;
  status: string;
}

class RetryingWriters {
  readonly tasks: Tracked[] = [];
  readonly statuses = new Map<string, number>();
  readonly unexpected: string[] = [];
  acknowledged = 0;
  failedAttempts = 0;
  retriedOperations = 0;
  replays = 0;
  /** PATCH retries answered 409 whose `current` is exactly the change sent: the "failed" attempt was applied. */
  appliedBeforeAnswer = 0;
  /** Logical creates that ran out of attempts (must stay 0; their titles are checked for duplicates all the same). */
  abandoned: string[] = [];
  private stopping = false;
  private readonly running: Promise<void>[] = [];

  constructor(private readonly base: string) {}

  start(): void {
    for (let writer = 0; writer < WRITERS; writer++) this.running.push(this.run(writer));
  }

  /** Lets every writer finish the operation it is on (retrying until acknowledged), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private count(label: string): void {
    this.statuses.set(label, (this.statuses.get(label) ?? 0) + 1);
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        // Well beyond the API's own bounds (about 2 s): a request that the API never answers is a finding too.
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      this.count(res.status === 503 ? `503 ${String(parsed.code)}` : String(res.status));
      return {
        kind: 'answered',
        status: res.status,
        body: parsed,
        replayed: res.headers.get('idempotent-replayed') === 'true',
      };
    } catch {
      this.count('no answer');
      return { kind: 'none' };
    }
  }

  private async run(writer: number): Promise<void> {
    let own: Tracked | undefined;
    for (let op = 0; op < MAX_OPERATIONS && !this.stopping; op++) {
      if (own && op % 3 !== 0) await this.patch(own, op);
      else own = (await this.create(writer, op)) ?? own;
    }
  }

  /** A failed attempt: back off briefly (a real client would honour Retry-After; the test keeps the pressure on). */
  private async failed(): Promise<void> {
    this.failedAttempts++;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private async create(writer: number, op: number): Promise<Tracked | undefined> {
    const title = `frozen w${writer} #${op}`;
    const key = randomUUID();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const answer = await this.send('POST', '/api/tasks', { title }, { 'Idempotency-Key': key });
      if (answer.kind === 'answered' && answer.status === 201) {
        if (answer.replayed) this.replays++;
        if (attempt > 1) this.retriedOperations++;
        const tracked = { id: answer.body.id as string, title, version: 1, status: 'todo' };
        this.tasks.push(tracked);
        this.acknowledged++;
        return tracked;
      }
      if (answer.kind === 'answered' && answer.status !== 503 && answer.status !== 500) {
        this.unexpected.push(
          `POST "${title}": ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
        );
        return undefined;
      }
      await this.failed();
    }
    this.abandoned.push(title);
    return undefined;
  }

  private async patch(task: Tracked, op: number): Promise<void> {
    const change = { title: `${task.title.split(' ~')[0]} ~v${task.version + 1}`, status: STATUSES[op % 3] };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const answer = await this.send('PATCH', `/api/tasks/${task.id}`, { version: task.version, ...change });
      if (answer.kind === 'answered' && answer.status === 200) {
        if (attempt > 1) this.retriedOperations++;
        Object.assign(task, { version: answer.body.version as number, ...change });
        this.acknowledged++;
        return;
      }
      if (answer.kind === 'answered' && answer.status === 409) {
        // One writer per task: a conflict on a retry means an earlier attempt of this very change was applied.
        const current = answer.body.current as { version: number; title: string; status: string };
        const ours =
          attempt > 1 &&
          current.version === task.version + 1 &&
          current.title === change.title &&
          current.status === change.status;
        if (!ours) {
          this.unexpected.push(
            `PATCH ${task.id}: 409 at v${current.version} "${current.title}" (sent v${task.version})`,
          );
          Object.assign(task, current);
          return;
        }
        this.appliedBeforeAnswer++;
        this.retriedOperations++;
        Object.assign(task, { version: current.version, ...change });
        this.acknowledged++;
        return;
      }
      if (answer.kind === 'answered' && answer.status !== 503 && answer.status !== 500) {
        this.unexpected.push(
          `PATCH ${task.id}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
        );
        return;
      }
      await this.failed();
    }
    this.abandoned.push(`PATCH ${task.id}`);
  }
}

/** The postmaster and every process it forked (backends, checkpointer, WAL writer...), from /proc. */
function postgresProcesses(postmaster: number): number[] {
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent PID; the command name (field 2) may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === postmaster) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // A backend that exited in between.
    }
  }
}

describeWithPostgresServer(
  'a frozen database (SIGSTOP on every PostgreSQL process, node dist/server.js)',
  () => {
    let pg: TestPostgres | undefined;
    let database: { url: string; drop(): Promise<void> } | undefined;
    let api: RunningProcess | undefined;
    let frozen: number[] = [];
    let base = '';

    beforeAll(async () => {
      assertServerBuilt();
      pg = await startTestPostgres();
      database = await createFreshPostgresDatabase(pg.url);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      api = await startBuiltServer(port, database.url, {
        DB_TIMEOUT_MS: '1000',
        // Shutdown is not under test here: stop without the 5 s grace period.
        SHUTDOWN_DELAY_MS: '0',
      });
    });

    afterAll(async () => {
      // Never leave a stopped server behind, whatever failed.
      signalAll(frozen, 'SIGCONT');
      await api?.stop();
      await database?.drop().catch(() => undefined);
      await pg?.destroy();
    });

    it('creates no duplicate task, loses no acknowledged write and answers no 500 while PostgreSQL is frozen and resumed', async () => {
      const writers = new RetryingWriters(base);
      const postmaster = (pg as TestPostgres).pid();
      if (postmaster === undefined) throw new Error('the test PostgreSQL has no PID');
      writers.start();
      try {
        await waitFor(
          `${ACKS_PER_STAGE} acknowledged writes before the freeze`,
          () => writers.acknowledged >= ACKS_PER_STAGE,
          120_000,
          20,
        );

        // Freeze: the postmaster first, so it forks nothing new, then every child it has.
        process.kill(postmaster, 'SIGSTOP');
        frozen = postgresProcesses(postmaster);
        signalAll(frozen, 'SIGSTOP');
        await new Promise((resolve) => setTimeout(resolve, FREEZE_MS));
        await waitFor('the writers to feel the freeze', () => writers.failedAttempts >= WRITERS, 120_000, 50);
        signalAll(frozen, 'SIGCONT');
        frozen = [];

        const target = writers.acknowledged + ACKS_PER_STAGE;
        await waitFor(
          `${ACKS_PER_STAGE} acknowledged writes after PostgreSQL resumed`,
          () => writers.acknowledged >= target,
          120_000,
          20,
        );
      } finally {
        signalAll(frozen, 'SIGCONT');
        await writers.stop();
      }

      const client = new Client({ connectionString: (database as { url: string }).url });
      await client.connect();
      const { rows } = await client
        .query<{ id: string; title: string; status: string; version: number }>(
          'SELECT id, title, status, version FROM tasks',
        )
        .finally(() => client.end());
      const perTitle = new Map<string, number>();
      for (const row of rows) {
        const base = row.title.split(' ~')[0] as string;
        perTitle.set(base, (perTitle.get(base) ?? 0) + 1);
      }
      const duplicates = [...perTitle].filter(([, n]) => n > 1).map(([title, n]) => `${title} ×${n}`);
      const byId = new Map(rows.map((row) => [row.id, row]));
      const lost = writers.tasks
        .filter((task) => {
          const row = byId.get(task.id);
          return (
            !row || row.version !== task.version || row.title !== task.title || row.status !== task.status
          );
        })
        .map((task) => `${task.id} acknowledged v${task.version} "${task.title}" ${task.status}`);
      const fiveHundreds = writers.statuses.get('500') ?? 0;

      process.stderr.write(
        [
          `\n[frozen database] every PostgreSQL process stopped for ${FREEZE_MS / 1000} s under ${WRITERS} retrying writers`,
          `  acknowledged operations: ${writers.acknowledged} (${writers.tasks.length} tasks created); rows in the database: ${rows.length}`,
          `  answers: ${[...writers.statuses]
            .sort()
            .map(([label, n]) => `${label}×${n}`)
            .join(', ')}`,
          `  failed attempts retried: ${writers.failedAttempts}; operations that needed a retry: ${writers.retriedOperations}`,
          `  POST retries answered from their Idempotency-Key: ${writers.replays}; PATCH retries that found their change applied: ${writers.appliedBeforeAnswer}`,
          `  duplicates: ${duplicates.length}; lost acknowledged writes: ${lost.length}; 500s: ${fiveHundreds}; unexpected: ${writers.unexpected.length}; abandoned: ${writers.abandoned.length}\n`,
        ].join('\n'),
      );
      expect(duplicates).toEqual([]);
      expect(lost).toEqual([]);
      expect(fiveHundreds).toBe(0);
      expect(writers.unexpected).toEqual([]);
      expect(writers.abandoned).toEqual([]);
      // Every row is a create some writer was told about: no write that was never acknowledged survives as a task.
      expect(rows.length).toBe(writers.tasks.length);
      // The fault was really felt: requests failed and were retried.
      expect(writers.failedAttempts).toBeGreaterThan(0);
    });
  },
);
