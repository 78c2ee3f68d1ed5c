import type { Knex } from 'knex';

// Plain SQL, one statement per call: PGlite's extended-protocol queries accept a single statement.
// CHECK constraints rather than a native ENUM type: adding a status later is one ALTER, inside a transaction.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE tasks (
      id uuid PRIMARY KEY,
      title text NOT NULL CONSTRAINT tasks_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '' CONSTRAINT tasks_description_length CHECK (char_length(description) <= 5000),
      status text NOT NULL DEFAULT 'todo' CONSTRAINT tasks_status_valid CHECK (status IN ('todo', 'in_progress', 'done')),
      priority text NOT NULL DEFAULT 'medium' CONSTRAINT tasks_priority_valid CHECK (priority IN ('low', 'medium', 'high')),
      due_date date,
      version integer NOT NULL DEFAULT 1 CONSTRAINT tasks_version_positive CHECK (version >= 1),
      -- Millisecond precision matches JavaScript dates, so keyset cursors round-trip exactly.
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
  // Keyset pagination, newest first: ORDER BY created_at DESC, id DESC with (created_at, id) < cursor.
  await knex.raw('CREATE INDEX tasks_created_at_id_idx ON tasks (created_at DESC, id DESC)');
  // The same walk restricted to one status (the board's column filter).
  await knex.raw('CREATE INDEX tasks_status_created_at_id_idx ON tasks (status, created_at DESC, id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS tasks');
}
