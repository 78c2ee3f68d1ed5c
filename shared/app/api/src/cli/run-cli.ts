// Shared ending of the command-line tools: exit with the tool's code, or print one readable line and exit 1.
import { ConfigError } from '../config';

export function runCli(action: string, run: () => Promise<number>): void {
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      // A bad setting already names its variable; anything else is prefixed with what was being done.
      console.error(
        error instanceof ConfigError
          ? error.message
          : `${action} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
