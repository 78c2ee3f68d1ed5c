export { freePort, waitFor } from './ports';
export { startProcess, stopAll, type RunningProcess } from './processes';
export { startTestPostgres, findPostgresBin, type TestPostgres } from './postgres';
