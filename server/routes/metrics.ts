/**
 * GET /metrics in Prometheus' text format, when METRICS=on (404 otherwise, as for any unknown
 * path). With METRICS_TOKEN set, the scraper must send it as a Bearer token.
 */
import { Hono } from 'hono';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { bearer, sameSecret } from '../http/auth.js';
import { documented } from '../http/openapi.js';

export function metricsRoutes(deps: Deps): Hono {
  const { metrics } = deps;
  const app = new Hono();
  if (!metrics) return app;
  return app.get(
    '/metrics',
    documented({
      id: 'metrics',
      summary: 'Prometheus metrics (METRICS=on; Bearer METRICS_TOKEN when set)',
      tag: 'Operations',
      answer: [200, null, "Prometheus' text exposition format"],
      errors: ['unauthorized'],
    }),
    async (c) => {
      const token = deps.config.metrics.token;
      const given = bearer(c);
      if (token && !(given && sameSecret(given, token)))
        throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': 'Bearer' } });
      c.header('Content-Type', metrics.registry.contentType);
      c.header('Cache-Control', 'no-store');
      return c.body(await metrics.registry.metrics());
    },
  );
}
