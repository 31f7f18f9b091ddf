/**
 * `npm run migrate`: brings the PostgreSQL schema of STORAGE=postgres (DATABASE_URL, read from the
 * environment as `npm run serve` reads it) up to date and says what it applied. Servers do the
 * same before their first operation; this runs it ahead of a deployment, and is safe to run while
 * servers start (each migration is applied once) and again (nothing left to do).
 */
import { failedTo, runCommand } from './command.js';
import { loadConfig } from './config.js';
import { migrateDatabase } from './store/postgres/index.js';

/** Host, port and database, never the password, for the one line printed. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}

async function main(): Promise<number> {
  // STORAGE=postgres is what this command is for: it need not be repeated.
  const config = loadConfig({ ...process.env, STORAGE: process.env.STORAGE ?? 'postgres' });
  if (config.storage !== 'postgres' || !config.databaseUrl) {
    console.error(`STORAGE=${config.storage} has no schema to migrate: migrations are for STORAGE=postgres.`);
    return 1;
  }
  const { applied, version } = await migrateDatabase(config.databaseUrl);
  const where = describeDatabase(config.databaseUrl);
  process.stdout.write(
    applied.length === 0
      ? `Schema of ${where} is up to date (version ${version}): nothing to apply.\n`
      : `Schema of ${where} migrated to version ${version}: applied ${applied
          .map((migration) => `${migration.version} (${migration.name})`)
          .join(', ')}.\n`,
  );
  return 0;
}

runCommand(main, failedTo('The database could not be migrated:'));
