// `npm run migrate [-- latest|rollback|status]`: runs the compiled migrations in dist/migrations.
import { describeDatabase, loadConfig } from '../config';
import { createDatabase, explainDatabaseError } from '../data/database';
import { runCli } from './run-cli';

const usage = 'usage: node dist/cli/migrate.js [latest|rollback|status]';

async function run(): Promise<number> {
  const command = process.argv[2] ?? 'latest';
  if (!['latest', 'rollback', 'status'].includes(command)) {
    console.error(`unknown command "${command}"\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const db = createDatabase(config);
  try {
    console.log(`database: ${describeDatabase(config)}`);
    if (command === 'latest') {
      const ran = await db.migrateLatest();
      console.log(ran.length > 0 ? `applied: ${ran.join(', ')}` : 'already up to date');
    } else if (command === 'rollback') {
      const ran = await db.rollback();
      console.log(ran.length > 0 ? `rolled back: ${ran.join(', ')}` : 'nothing to roll back');
    } else {
      const status = await db.migrationStatus();
      console.log(
        `applied: ${status.applied.join(', ') || '(none)'}\npending: ${status.pending.join(', ') || '(none)'}`,
      );
      return status.pending.length > 0 ? 1 : 0;
    }
    return 0;
  } catch (error) {
    // Name the server and the real reason (refused, no answer) rather than the pool's generic timeout.
    throw explainDatabaseError(error, config);
  } finally {
    await db.close();
  }
}

runCli('migration', run);
