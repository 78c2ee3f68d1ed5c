import type { Knex } from 'knex';

// Idempotency-Key on POST /api/tasks: one row per key, written in the same transaction as the task it created,
// so a retry after an unknown outcome (a timeout) finds either both or neither. The primary key is what makes two
// concurrent requests with the same key create one task: the second INSERT waits for the first and then conflicts.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE idempotency_keys (
      key text PRIMARY KEY CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
      -- SHA-256 of the validated request body: the same key with another body is refused with 422.
      request_hash text NOT NULL,
      -- The task as first answered, replayed verbatim; no foreign key, so a replay still works after a DELETE.
      response jsonb,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL
    )`);
  // Purging expired keys walks this index, oldest first.
  await knex.raw('CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS idempotency_keys');
}
