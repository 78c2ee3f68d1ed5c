import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { findPostgresBin, startTestPostgres, type TestPostgres } from '../src';

function query(pg: TestPostgres, sql: string): string {
  const psql = path.join(findPostgresBin() ?? '', 'psql');
  return execFileSync(psql, [pg.url, '-tAc', sql], { encoding: 'utf8' }).trim();
}

describe('startTestPostgres', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('serves SQL on a loopback port with password auth', () => {
    expect(query(pg, 'select 1 + 1')).toBe('2');
  });

  it('keeps its data across stop() and start() on the same port', async () => {
    query(pg, 'create table kept (n int); insert into kept values (42)');
    await pg.stop();
    expect(() => query(pg, 'select 1')).toThrow();
    await pg.start();
    expect(query(pg, 'select n from kept')).toBe('42');
  });
});
