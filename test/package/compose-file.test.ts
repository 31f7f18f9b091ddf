/**
 * compose.yaml, checked where no container runtime runs it: the server's environment there is a
 * valid configuration (as the server reads it at start), and every host it names is a service of
 * the file.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Compose {
  services: Record<string, { environment?: Record<string, string>; depends_on?: Record<string, unknown> }>;
}

describe('compose.yaml', () => {
  it("gives the server a configuration it starts with, on the file's own PostgreSQL, Redis and SMTP catcher", async () => {
    const compose = parse(await readFile(`${ROOT}/compose.yaml`, 'utf8')) as Compose;
    const env = compose.services.app.environment ?? {};
    const config = loadConfig(env);
    expect(config).toMatchObject({ storage: 'postgres', mail: 'smtp', demo: false });
    expect(config.metrics.enabled).toBe(true);
    for (const url of [env.DATABASE_URL, env.SMTP_URL])
      expect(Object.keys(compose.services)).toContain(new URL(url).hostname);
    for (const needed of Object.keys(compose.services.app.depends_on ?? {}))
      expect(Object.keys(compose.services)).toContain(needed);
  });
});
