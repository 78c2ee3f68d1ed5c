// The embedded database on a real filesystem that fails (issue 16): a full disk and a read-only data directory.
// Each gets a tmpfs of its own (mounted as root), so the kernel, not a mock, answers ENOSPC and EROFS. Without
// permission to mount it is a loud skip; with CI=true (root) it must run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../src/config';
import { createDatabase, type Database } from '../src/data/database';
import { buildTestApp } from './helpers/app';
import { testEnv } from './helpers/database';

function canMount(): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const probe = mkdtempSync(path.join(os.tmpdir(), 'taskboard-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const why = 'needs to mount a tmpfs (run the tests as root, as CI does)';
const mountable = canMount();
const describeWithTmpfs = mountable || process.env.CI === 'true' ? describe : describe.skip;
if (!mountable) process.stderr.write(`\n[api tests] SKIPPED "embedded database storage faults": ${why}\n`);

/** A tmpfs of `sizeMb` at a fresh temp dir; `unmount` is safe to call when the mount never happened. */
function mountTmpfs(sizeMb: number): { dir: string; remount(options: string): void; unmount(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  return {
    dir,
    remount: (options) => execFileSync('mount', ['-o', `remount,${options}`, dir]),
    unmount() {
      // Lazy: PGlite may still hold a file open if a test failed before closing it.
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the filesystem up to the last byte, so the next page the database extends its files by has no room. */
function fillDisk(dir: string): void {
  const chunk = Buffer.alloc(1024 * 1024);
  let index = 0;
  for (const size of [chunk.length, 64 * 1024, 4096, 512, 1]) {
    const block = chunk.subarray(0, size);
    for (;;) {
      try {
        writeFileSync(path.join(dir, `filler-${index++}`), block);
      } catch {
        break;
      }
    }
  }
}

describeWithTmpfs('embedded database storage faults (PGlite on a tmpfs)', () => {
  if (!mountable) {
    it('can mount a tmpfs (required when CI=true)', () => {
      throw new Error(`embedded storage fault tests ${why}`);
    });
    return;
  }

  describe('a full disk', () => {
    let disk: ReturnType<typeof mountTmpfs> | undefined;
    let db: Database | undefined;

    afterAll(async () => {
      await db?.close().catch(() => undefined);
      disk?.unmount();
    });

    it('answers writes with 503 DB_STORAGE_FULL and turns /readyz to 503 saying why, while reads still work', async () => {
      // Arrange: a migrated database on a 64 MB tmpfs, then every free byte taken
      disk = mountTmpfs(64);
      const config = loadConfig(
        testEnv({ PGLITE_DATA_DIR: path.join(disk.dir, 'pglite'), DB_TIMEOUT_MS: '60000' }),
      );
      db = createDatabase(config);
      await db.migrateLatest();
      const t = buildTestApp({ config, db, cleanup: async () => {} });
      await request(t.app).get('/readyz').expect(200);
      fillDisk(disk.dir);

      // Act: enough writes that one needs a new page (the first may still fit in the page it has)
      let answer: request.Response | undefined;
      for (let i = 0; i < 200; i++) {
        answer = await request(t.app)
          .post('/api/tasks')
          .send({ title: `fills the disk ${i}`, description: 'x'.repeat(4000) });
        if (answer.status !== 201) break;
      }
      const readiness = await request(t.app).get('/readyz');
      const list = await request(t.app).get('/api/tasks');

      // Assert
      expect(answer?.status).toBe(503);
      expect(answer?.headers['retry-after']).toBeDefined();
      expect(answer?.body).toMatchObject({ status: 503, code: 'DB_STORAGE_FULL' });
      expect(readiness.status).toBe(503);
      expect(readiness.body.detail).toMatch(/no disk space/);
      expect(list.status).toBe(200);
    });
  });

  describe('a read-only data directory', () => {
    let disk: ReturnType<typeof mountTmpfs> | undefined;

    afterAll(() => disk?.unmount());

    it('fails naming the directory and the OS error (EROFS), not only "PGlite failed to initialize"', () => {
      disk = mountTmpfs(8);
      const dataDir = path.join(disk.dir, 'pglite');
      mkdirSync(dataDir);
      disk.remount('ro');
      const config = loadConfig(testEnv({ PGLITE_DATA_DIR: dataDir }));

      expect(() => createDatabase(config)).toThrow(
        new RegExp(`embedded database directory ${dataDir} is not writable \\(EROFS`),
      );
    });
  });
});
