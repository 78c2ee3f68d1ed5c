import { Writable } from 'node:stream';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger, type Logger } from '../../src/logger';
import type { Lifecycle } from '../../src/services/health';
import type { TestDatabase } from './database';

export interface TestApp {
  app: Express;
  lifecycle: Lifecycle;
  /** Every JSON line the app logged, parsed. */
  logLines(): Record<string, unknown>[];
  rawLog(): string;
}

/** An app on the test database whose logs are captured in memory instead of stdout. */
export function buildTestApp(
  testDb: TestDatabase,
  options: { logLevel?: string; logger?: Logger } = {},
): TestApp {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? 'info',
      secrets: testDb.config.secrets,
      destination: destination as never,
    });
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({ config: testDb.config, db: testDb.db, logger, lifecycle });
  return {
    app,
    lifecycle,
    rawLog: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
