// No lost writes: a bounded concurrent write load against the real process (node dist/server.js) on a real
// PostgreSQL, while (a) PostgreSQL restarts (fast shutdown, same port) and (b) the API gets SIGTERM and starts again.
// Afterwards the database must hold every acknowledged write, and no refused write may have been applied.
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

// Each scenario restarts a process and waits (bounded, up to 60 s per wait): room beyond jest's 60 s default.
jest.setTimeout(180_000);

const WORKERS = 8;
/** Safety bound per worker: the load stops when the scenario says so, or after this many requests. */
const MAX_REQUESTS_PER_WORKER = 3000;
/** Acknowledged writes wanted before the fault and again after recovery. */
const ACKS_PER_STAGE = 150;
const STATUSES = ['todo', 'in_progress', 'done'] as const;

type Outcome =
  | { kind: 'answered'; status: number; body: Record<string, unknown> }
  /** No HTTP answer at all: refused, reset or timed out (the API process is down or restarting). */
  | { kind: 'no-answer'; error: string };

interface TrackedTask {
  id: string;
  /** Last acknowledged version and the fields that PATCH set. */
  version: number;
  title: string;
  status: string;
  /** The previous PATCH failed: how, so a 409 now tells us whether that "failed" write was applied after all. */
  lastFailure?: 'refused-503' | 'no-answer';
}

interface Tally {
  acknowledgedCreates: number;
  acknowledgedUpdates: number;
  refused503: number;
  noAnswer: number;
  /** A refused (503) write that the database nevertheless holds: must be 0. */
  refusedButApplied: string[];
  /** A write that got no answer but was applied (the answer was lost, not the write): reported, not an error. */
  unansweredButApplied: number;
  /** Any answer other than 200, 201 or 503 during the load. */
  unexpected: string[];
}

class WriteLoad {
  readonly tasks: TrackedTask[] = [];
  /** Titles of creates that were refused or unanswered; none may exist unless reported as unanswered-but-applied. */
  readonly failedCreates: { title: string; how: 'refused-503' | 'no-answer' }[] = [];
  readonly tally: Tally = {
    acknowledgedCreates: 0,
    acknowledgedUpdates: 0,
    refused503: 0,
    noAnswer: 0,
    refusedButApplied: [],
    unansweredButApplied: 0,
    unexpected: [],
  };
  private stopping = false;
  private readonly workers: Promise<void>[] = [];

  constructor(
    private readonly base: () => string,
    private readonly label: string,
  ) {}

  get acknowledged(): number {
    return this.tally.acknowledgedCreates + this.tally.acknowledgedUpdates;
  }

  start(): void {
    for (let worker = 0; worker < WORKERS; worker++) this.workers.push(this.run(worker));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
  }

  private async send(method: string, path: string, body: unknown): Promise<Outcome> {
    try {
      const res = await fetch(`${this.base()}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return {
        kind: 'answered',
        status: res.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    } catch (error) {
      return { kind: 'no-answer', error: (error as Error).message };
    }
  }

  /** One writer: creates a task, then alternates PATCHes of its own latest task with new creates. */
  private async run(worker: number): Promise<void> {
    let own: TrackedTask | undefined;
    for (let seq = 0; seq < MAX_REQUESTS_PER_WORKER && !this.stopping; seq++) {
      const result = own && seq % 3 !== 0 ? await this.patch(own, seq) : await this.create(worker, seq);
      if (typeof result === 'object') own = result;
      // Back off a little while the service is down, so a refused connection does not become a busy loop.
      if (result === false) await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Returns the new task when acknowledged, false when refused or unanswered. */
  private async create(worker: number, seq: number): Promise<TrackedTask | false> {
    const title = `${this.label} w${worker} #${seq}`;
    const outcome = await this.send('POST', '/api/tasks', {
      title,
      description: `written by worker ${worker}`,
    });
    if (outcome.kind === 'answered' && outcome.status === 201) {
      const task = outcome.body as unknown as TrackedTask;
      this.tally.acknowledgedCreates++;
      const tracked = { id: task.id, version: task.version, title, status: 'todo' };
      this.tasks.push(tracked);
      return tracked;
    }
    this.failedCreates.push({ title, how: this.countFailure(outcome, `POST ${title}`) });
    return false;
  }

  /** Returns true when acknowledged, false when refused or unanswered. */
  private async patch(task: TrackedTask, seq: number): Promise<boolean> {
    const changes = {
      title: `${task.title.split(' ~')[0]} ~v${task.version + 1}`,
      status: STATUSES[seq % 3],
    };
    const outcome = await this.send('PATCH', `/api/tasks/${task.id}`, { version: task.version, ...changes });
    if (outcome.kind === 'answered' && outcome.status === 200) {
      const version = outcome.body.version as number;
      if (version !== task.version + 1)
        this.tally.unexpected.push(`PATCH ${task.id}: version ${task.version} became ${version}`);
      Object.assign(task, { version, ...changes, lastFailure: undefined });
      this.tally.acknowledgedUpdates++;
      return true;
    }
    if (outcome.kind === 'answered' && outcome.status === 409) {
      // Each task has one writer, so a conflict means the previous, failed PATCH was applied after all.
      const current = outcome.body.current as { version: number; title: string; status: string };
      if (task.lastFailure === 'no-answer') this.tally.unansweredButApplied++;
      else this.tally.refusedButApplied.push(`PATCH ${task.id} (after ${task.lastFailure ?? 'no failure'})`);
      Object.assign(task, { version: current.version, title: current.title, status: current.status });
      task.lastFailure = undefined;
      return true;
    }
    task.lastFailure = this.countFailure(outcome, `PATCH ${task.id}`);
    return false;
  }

  private countFailure(outcome: Outcome, what: string): 'refused-503' | 'no-answer' {
    // DB_TIMEOUT says "outcome unknown" (the statement may still run): it is checked like a lost answer.
    if (outcome.kind === 'no-answer' || (outcome.status === 503 && outcome.body.code === 'DB_TIMEOUT')) {
      this.tally.noAnswer++;
      return 'no-answer';
    }
    if (outcome.status === 503 && outcome.body.code === 'DB_UNAVAILABLE') {
      this.tally.refused503++;
      return 'refused-503';
    }
    this.tally.unexpected.push(`${what}: ${outcome.status} ${JSON.stringify(outcome.body).slice(0, 200)}`);
    return 'refused-503';
  }
}

interface Verdict {
  acknowledged: number;
  present: number;
  lost: string[];
}

/** Reads the database directly and compares it with what the load was told. */
async function verify(databaseUrl: string, load: WriteLoad): Promise<Verdict> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; title: string; status: string; version: number }>(
      'SELECT id, title, status, version FROM tasks',
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const titles = new Set(rows.map((row) => row.title.split(' ~')[0]));
    const lost: string[] = [];
    let present = 0;
    for (const task of load.tasks) {
      const row = byId.get(task.id);
      if (!row) lost.push(`task ${task.id} (${task.title}) acknowledged with 201 is missing`);
      else if (row.version !== task.version || row.title !== task.title || row.status !== task.status)
        lost.push(
          `task ${task.id}: acknowledged v${task.version} "${task.title}" ${task.status}, ` +
            `stored v${row.version} "${row.title}" ${row.status}`,
        );
      else present++;
    }
    for (const failed of load.failedCreates) {
      if (!titles.has(failed.title)) continue;
      if (failed.how === 'no-answer') load.tally.unansweredButApplied++;
      else load.tally.refusedButApplied.push(`POST "${failed.title}" answered 503 but is stored`);
    }
    // Every acknowledged write to a task is folded into its final row, so `present` counts tasks; the write
    // totals say how many acknowledgements those rows carry.
    return { acknowledged: load.tasks.length, present, lost };
  } finally {
    await client.end();
  }
}

function report(scenario: string, load: WriteLoad, verdict: Verdict): void {
  const t = load.tally;
  process.stderr.write(
    [
      `\n[no lost writes] ${scenario}`,
      `  acknowledged writes: ${load.acknowledged} (${t.acknowledgedCreates} creates 201, ${t.acknowledgedUpdates} updates 200)`,
      `  tasks acknowledged: ${verdict.acknowledged}, present with their last acknowledged version: ${verdict.present}`,
      `  failed with 503: ${t.refused503}; no answer (API down or restarting): ${t.noAnswer}` +
        ` (of which applied anyway: ${t.unansweredButApplied})`,
      `  refused but applied: ${t.refusedButApplied.length}; unexpected answers: ${t.unexpected.length}`,
      `  lost: ${verdict.lost.length}\n`,
    ].join('\n'),
  );
}

describeWithPostgresServer(
  'no lost writes under load and faults (real PostgreSQL, node dist/server.js)',
  () => {
    let pg: TestPostgres;
    let database: { url: string; drop(): Promise<void> };
    let api: RunningProcess | undefined;
    let base = '';
    let port = 0;

    async function startApi(): Promise<void> {
      // Fail fast while PostgreSQL is down, so requests end as 503 instead of queueing.
      api = await startBuiltServer(port, database.url, { DB_TIMEOUT_MS: '1000' });
    }

    const waitForAcks = (load: WriteLoad, target: number, what: string) =>
      waitFor(`${target} acknowledged writes ${what}`, () => load.acknowledged >= target, 60_000, 20);

    beforeAll(async () => {
      assertServerBuilt();
      pg = await startTestPostgres();
      database = await createFreshPostgresDatabase(pg.url);
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      await startApi();
    });

    afterAll(async () => {
      await api?.stop();
      await database?.drop().catch(() => undefined);
      await pg?.destroy();
    });

    it('keeps every acknowledged write while PostgreSQL restarts mid-run; refused writes are 503 and not applied', async () => {
      const load = new WriteLoad(() => base, 'pg-restart');
      load.start();
      try {
        await waitForAcks(load, ACKS_PER_STAGE, 'before the restart');

        await pg.stop(); // fast shutdown (SIGINT), as pg_ctl restart -m fast does
        await waitFor(
          'writes to be refused with 503 while PostgreSQL is down',
          () => load.tally.refused503 >= 10,
          30_000,
          20,
        );
        await pg.start();
        const afterRestart = load.acknowledged + ACKS_PER_STAGE;
        await waitForAcks(load, afterRestart, 'after PostgreSQL came back');
      } finally {
        await load.stop();
      }

      const verdict = await verify(database.url, load);
      report('PostgreSQL fast restart mid-run', load, verdict);
      expect(load.tally.unexpected).toEqual([]);
      expect(load.tally.refusedButApplied).toEqual([]);
      expect(verdict.lost).toEqual([]);
      expect(verdict.present).toBe(verdict.acknowledged);
      expect(load.tally.refused503).toBeGreaterThan(0);
    });

    it('keeps every acknowledged write when the API gets SIGTERM mid-run and starts again', async () => {
      const load = new WriteLoad(() => base, 'api-sigterm');
      load.start();
      try {
        await waitForAcks(load, ACKS_PER_STAGE, 'before SIGTERM');

        const running = api as RunningProcess;
        running.child.kill('SIGTERM');
        expect(await running.exited).toBe(0); // graceful: in-flight requests finished, then exit 0
        await waitFor(
          'writes to go unanswered while the API is down',
          () => load.tally.noAnswer >= 5,
          30_000,
          20,
        );
        await startApi();
        await waitForAcks(load, load.acknowledged + ACKS_PER_STAGE, 'after the API restarted');
      } finally {
        await load.stop();
      }

      const verdict = await verify(database.url, load);
      report('API SIGTERM and restart mid-run', load, verdict);
      expect(load.tally.unexpected).toEqual([]);
      expect(load.tally.refusedButApplied).toEqual([]);
      expect(verdict.lost).toEqual([]);
      expect(verdict.present).toBe(verdict.acknowledged);
      expect(load.tally.noAnswer).toBeGreaterThan(0);
    });
  },
);
