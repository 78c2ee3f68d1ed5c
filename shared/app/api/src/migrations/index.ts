// Migrations are listed explicitly and compiled with the app (dist/migrations), so the same list runs from
// ts-jest/swc in tests and from node in production, with no directory scanning or file-extension rules.
import type { Knex } from 'knex';
import * as createTasks from './20261126090000_create_tasks';
import * as createIdempotencyKeys from './20261202090000_create_idempotency_keys';

const migrations: ReadonlyMap<string, Knex.Migration> = new Map([
  ['20261126090000_create_tasks', createTasks],
  ['20261202090000_create_idempotency_keys', createIdempotencyKeys],
]);

/** Every migration name, oldest first; readiness compares knex_migrations against this list. */
export const migrationNames: readonly string[] = [...migrations.keys()];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => [...migrationNames],
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations.get(name);
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
