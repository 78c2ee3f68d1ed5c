// `npm run seed`: adds demo tasks to an empty database (migrating first). Refuses to touch a board in use.
import { describeDatabase, loadConfig } from '../config';
import { createDatabase, explainDatabaseError } from '../data/database';
import { runCli } from './run-cli';
import { createTaskRepository } from '../data/task-repository';
import { seedDemoTasks } from '../services/demo-seed';
import { createTaskService } from '../services/tasks';

async function run(): Promise<number> {
  const config = loadConfig();
  const db = createDatabase(config);
  try {
    console.log(`database: ${describeDatabase(config)}`);
    const status = await db.migrationStatus();
    if (status.pending.length > 0) {
      console.error(`migrations pending (${status.pending.join(', ')}); run npm run migrate first`);
      return 1;
    }
    const service = createTaskService({ repository: createTaskRepository(db) });
    const { total } = await service.stats();
    if (total > 0) {
      console.log(`skipped: the database already holds ${total} task(s)`);
      return 0;
    }
    console.log(`seeded ${await seedDemoTasks(service)} demo tasks`);
    return 0;
  } catch (error) {
    // Name the server and the real reason (refused, no answer) rather than the pool's generic timeout.
    throw explainDatabaseError(error, config);
  } finally {
    await db.close();
  }
}

runCli('seed', run);
