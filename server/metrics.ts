/**
 * Prometheus metrics (`GET /metrics`, with METRICS=on): requests and their latency by route, logins
 * and password changes by outcome, mail sent and failed by kind, the hashing queue, webhook
 * deliveries and the endpoints waiting to retry, and Node's own process metrics. One registry
 * per app, so two apps in one process never mix their figures. Labels never hold an identifier,
 * an address or a token: routes are the patterns (`/api/admin/clients/:id`), not the paths.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Mailer } from './mail/mailer.js';

/** Where the figures that are not requests come from, read at each scrape. */
export interface MetricSources {
  /** The API's base path (`/api`): routes are recognised under it (and under any mount prefix). */
  apiBase: string;
  hashingQueue: () => number;
  webhookEndpointsRetrying: () => number;
}

/** Routes whose answers are logins or password changes, counted by outcome as well. */
const LOGIN_ROUTE = '/login';
const PASSWORD_ROUTES = [
  '/reset',
  '/password/force-change',
  '/password/change',
  '/admin/clients/:id/password',
];

export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'client_reset_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'client_reset_http_request_duration_seconds',
    help: 'Time to answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly logins = new Counter({
    name: 'client_reset_logins_total',
    help: 'Member logins by outcome (ok, or the error status class)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly passwords = new Counter({
    name: 'client_reset_password_changes_total',
    help: 'Passwords set by members (link, code, forced, change) and staff, by route and outcome',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly mails = new Counter({
    name: 'client_reset_mails_total',
    help: 'Mail handed to the transport (sent) or refused by it (failed), by kind',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'client_reset_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly loginRoute: string;
  private readonly passwordRoutes: string[];

  constructor(sources: MetricSources) {
    this.loginRoute = sources.apiBase + LOGIN_ROUTE;
    this.passwordRoutes = PASSWORD_ROUTES.map((route) => sources.apiBase + route);
    collectDefaultMetrics({ register: this.registry, prefix: 'client_reset_' });
    new Gauge({
      name: 'client_reset_hashing_queue_depth',
      help: 'Password hashes waiting for a hashing thread',
      registers: [this.registry],
      collect() {
        this.set(sources.hashingQueue());
      },
    });
    new Gauge({
      name: 'client_reset_webhook_endpoints_retrying',
      help: 'Webhook endpoints whose queue waits behind a failed delivery (the backlog)',
      registers: [this.registry],
      collect() {
        this.set(sources.webhookEndpointsRetrying());
      },
    });
  }

  /** Counts and times every request by its route pattern. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const route = routePath(c, -1) || 'unmatched';
      const status = c.res.status;
      const method = c.req.method;
      this.requests.inc({ method, route, status });
      this.latency.observe({ method, route }, (performance.now() - started) / 1000);
      if (method !== 'POST') return;
      const outcome = status < 400 ? 'ok' : `${Math.floor(status / 100)}xx`;
      if (route.endsWith(this.loginRoute)) this.logins.inc({ outcome });
      else if (this.passwordRoutes.some((known) => route.endsWith(known)))
        this.passwords.inc({ route, outcome });
    };
  }

  /** The mailer, counting what it sends and what fails. */
  countingMailer(mailer: Mailer): Mailer {
    return {
      send: async (request) => {
        try {
          await mailer.send(request);
          this.mails.inc({ kind: request.content.kind, outcome: 'sent' });
        } catch (error) {
          this.mails.inc({ kind: request.content.kind, outcome: 'failed' });
          throw error;
        }
      },
      verify: () => mailer.verify(),
      close: () => mailer.close(),
    };
  }
}
