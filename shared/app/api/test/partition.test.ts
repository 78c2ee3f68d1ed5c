// A silent network partition (issue 20): the path to PostgreSQL stops carrying bytes while every socket stays
// open, as when a firewall or a NAT table drops a flow, or a proxy wedges. No FIN, no RST, and the proxy's kernel
// still acknowledges what the API sends, so TCP keepalive sees a healthy peer and the server never receives the
// statement, let alone runs statement_timeout. Only the API's own bound on a statement in flight can answer: it
// must fail the request with 503 and Retry-After within that bound, and recover once the path carries bytes again.
import net from 'node:net';
import request from 'supertest';
import { startTestPostgres, type TestPostgres } from '@taskboard/testkit';
import { loadConfig } from '../src/config';
import { createDatabase, STATEMENT_BOUND_GRACE_MS, type Database } from '../src/data/database';
import { buildTestApp, type TestApp } from './helpers/app';
import { testEnv } from './helpers/database';
import { describeWithPostgresServer } from './helpers/postgres-server';

jest.setTimeout(120_000);

const DB_TIMEOUT_MS = 1000;
/** The API's bound on a statement in flight, plus the watchdog's tick, plus room for a busy test machine. */
const ANSWER_WITHIN_MS = DB_TIMEOUT_MS + STATEMENT_BOUND_GRACE_MS + 3000;

/** A TCP proxy in front of PostgreSQL that can stop forwarding in both directions without closing anything. */
class StallingProxy {
  stalled = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      this.sockets.add(client).add(upstream);
      // While stalled, bytes are read (the kernel acknowledges them) and dropped: the far end never hears of them.
      client.on('data', (chunk) => {
        if (!this.stalled) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!this.stalled) client.write(chunk);
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connections the proxy carries right now; a stall must not have closed any. */
  get open(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describeWithPostgresServer('a silent network partition between the API and PostgreSQL', () => {
  let pg: TestPostgres;
  let proxy: StallingProxy;
  let db: Database;
  let t: TestApp;

  beforeAll(async () => {
    pg = await startTestPostgres();
    const direct = new URL(pg.url);
    proxy = new StallingProxy({ host: direct.hostname, port: Number(direct.port) });
    const viaProxy = new URL(pg.url);
    viaProxy.port = String(await proxy.listen());
    const config = loadConfig(
      testEnv({ DATABASE_URL: viaProxy.toString(), DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) }),
    );
    db = createDatabase(config);
    await db.migrateLatest();
    t = buildTestApp({ config, db, cleanup: async () => {} });
    await request(t.app).post('/api/tasks').send({ title: 'written before the partition' }).expect(201);
  });

  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await pg?.destroy();
  });

  afterEach(() => {
    proxy.stalled = false;
  });

  it.each([
    ['GET /api/tasks (a prepared statement on the pool)', '/api/tasks'],
    [
      'GET /api/tasks/:id (a prepared statement on the pool)',
      '/api/tasks/00000000-0000-4000-8000-000000000000',
    ],
    ['GET /api/stats (a statement through knex)', '/api/stats'],
  ])('answers %s with 503 and Retry-After within the bound', async (_name, url) => {
    await request(t.app)
      .get(url)
      .expect((res) => expect([200, 404]).toContain(res.status));
    proxy.stalled = true;

    // The request timeout is the assertion: a request that hangs on the partition fails here.
    const res = await request(t.app).get(url).timeout(ANSWER_WITHIN_MS);

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ code: 'DB_TIMEOUT' });
  });

  it('answers a POST with an Idempotency-Key (a transaction) with 503 and Retry-After within the bound', async () => {
    proxy.stalled = true;

    const res = await request(t.app)
      .post('/api/tasks')
      .set('Idempotency-Key', 'partition-post-1')
      .send({ title: 'sent into the partition' })
      .timeout(ANSWER_WITHIN_MS);

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('stalls without closing a connection: keepalive alone would not notice', async () => {
    await request(t.app).get('/api/tasks').expect(200);
    const before = proxy.open;
    proxy.stalled = true;

    await new Promise((resolve) => setTimeout(resolve, DB_TIMEOUT_MS));

    expect(proxy.open).toBe(before);
  });

  it('serves again once the path carries bytes', async () => {
    proxy.stalled = true;
    await request(t.app).get('/api/tasks').timeout(ANSWER_WITHIN_MS).expect(503);
    proxy.stalled = false;

    const res = await request(t.app).get('/api/tasks').timeout(ANSWER_WITHIN_MS);

    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
  });
});
