/** How the command-line entry points (`npm run migrate`, `demo:reset`, `export`, `import`) end. */
import { ConfigError } from './config.js';

/** Runs `main` and exits with its code; a failure prints one line, `explain`'s, and exits 1. */
export function runCommand(main: () => Promise<number>, explain: (error: unknown) => string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(explain(error));
      process.exit(1);
    },
  );
}

/** A configuration error as it is; anything else after `what` ("The demo could not be reset:"). */
export function failedTo(what: string): (error: unknown) => string {
  return (error) =>
    error instanceof ConfigError
      ? error.message
      : `${what} ${error instanceof Error ? error.message : String(error)}`;
}
