// Liveness never touches the database; readiness needs the database reachable, migrations current and no shutdown.
import type { Database, DatabaseKind } from '../data/database';

export interface Lifecycle {
  /** Set once SIGTERM/SIGINT arrives; readiness answers 503 from then on. */
  shuttingDown: boolean;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Readiness must answer fast even when PostgreSQL is gone: one bounded check, never a hang. */
export const READINESS_TIMEOUT_MS = 1000;

export async function checkReadiness(db: Database, lifecycle: Lifecycle): Promise<Readiness> {
  if (lifecycle.shuttingDown) return { ready: false, reason: 'The server is shutting down.' };
  if (!(await db.ping(READINESS_TIMEOUT_MS))) return { ready: false, reason: 'The database is unreachable.' };
  // Reads still work on a full disk, so the ping above passes; a recent 53100 on a write is what tells.
  if (db.storageFull())
    return {
      ready: false,
      reason: 'The database has no disk space left for writes (SQLSTATE 53100); free space on its volume.',
    };
  try {
    const status = await withTimeout(db.migrationStatus(), READINESS_TIMEOUT_MS);
    if (status.pending.length > 0) {
      return {
        ready: false,
        reason: `Migrations are not current; pending: ${status.pending.join(', ')}. Run npm run migrate.`,
      };
    }
  } catch {
    return { ready: false, reason: 'The migration status could not be read.' };
  }
  if (lifecycle.shuttingDown) return { ready: false, reason: 'The server is shutting down.' };
  return { ready: true };
}

export interface HealthService {
  readonly databaseKind: DatabaseKind;
  readiness(): Promise<Readiness>;
  /** Whether the database answers at all (migrations aside), within the readiness timeout. */
  databaseUp(): Promise<boolean>;
}

export function createHealthService(db: Database, lifecycle: Lifecycle): HealthService {
  return {
    databaseKind: db.kind,
    readiness: () => checkReadiness(db, lifecycle),
    databaseUp: () => db.ping(READINESS_TIMEOUT_MS),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
