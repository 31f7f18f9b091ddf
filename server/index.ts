/**
 * `createApp(deps)`: the whole HTTP surface as a Hono app, with no side effects, so an integrator
 * can mount it in their own Hono or Node server. `server/main.ts` is the stand-alone entry point.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { errorResponse, handleError } from './http/errors.js';
import { originAllowed } from './http/cors-origins.js';
import { requestBodies } from './http/guards.js';
import { answerHeaders, SECURITY_HEADERS } from './http/answer-headers.js';
import { demoRoutes } from './routes/demo.js';
import { demoPages } from './routes/demo-pages.js';
import { memberRoutes } from './routes/member.js';
import { provisionRoutes } from './routes/provision.js';
import { staffRoutes } from './routes/staff.js';
import { pageRoutes } from './routes/pages.js';
import { readiness } from './readiness.js';
import { apiDocsRoutes } from './routes/api-docs.js';
import { metricsRoutes } from './routes/metrics.js';
import { documented } from './http/openapi.js';
import * as answers from './http/api-schemas.js';
import { crossOriginScript, widgetBundle, widgetRoutes } from './routes/widget.js';

export type { Deps } from './deps.js';
export { createDeps, type DepsOverrides } from './create-deps.js';
export { ConfigError, loadConfig, type Config } from './config.js';
export { createStore } from './store/create-store.js';
export type { Store } from './store/store.js';
export type { Mailer, MailRequest, RenderedMail } from './mail/mailer.js';

/** Logs method, path (never the query), status and time: no header or body ever reaches the log. */
function requestLog(deps: Deps): MiddlewareHandler {
  // These four fields are all it writes, none a secret: redaction would only cost every request
  // a walk over the object (about a tenth of a small answer's time).
  const accessLog = deps.logger.child({}, { redact: [] });
  return async (c, next) => {
    const started = performance.now();
    await next();
    accessLog.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}

const passThrough: MiddlewareHandler = (_c, next) => next();

export function createApp(deps: Deps) {
  const { config } = deps;
  const api = new Hono();
  if (config.corsOrigins.length > 0) {
    const allowed = config.corsOrigins;
    api.use(
      '*',
      cors({
        // Only listed origins, echoed one at a time; never `*`, never an arbitrary Origin.
        origin: (origin) => (originAllowed(origin, allowed) ? origin : null),
        allowMethods: ['GET', 'POST', 'PATCH', 'PUT'],
        // Accept-Language is safelisted only for simple values; listed so that any tag the page sends passes.
        allowHeaders: ['Content-Type', 'Authorization', 'Accept-Language'],
        exposeHeaders: ['Retry-After'],
        maxAge: 600,
      }),
    );
  }
  const bulkImport = `${config.basePath}/provision/import`;
  api.use(
    '*',
    // Answers of the API are about one member or client: never kept by a cache.
    answerHeaders([['Cache-Control', 'no-store']]),
    // endsWith: under a prefix (`app.route('/auth', …)`) the path carries it.
    requestBodies(config.bodyLimitBytes, (path) => path.endsWith(bulkImport)),
  );
  const routes = api
    .route('/', memberRoutes(deps))
    .route('/admin', staffRoutes(deps))
    .route('/provision', provisionRoutes(deps));
  if (config.demo && deps.demoStaffSecret) routes.route('/demo', demoRoutes(deps, deps.demoStaffSecret));
  // The document describes the whole app, read when first asked for (the app is complete by then).
  routes.route(
    '/',
    apiDocsRoutes(deps, () => app),
  );

  // One build of dist/ for the bundle and the hosted login page's script.
  const bundle = widgetBundle(deps);
  const app = new Hono()
    .use('*', requestLog(deps))
    .use('*', deps.metrics ? deps.metrics.middleware() : passThrough)
    // Outside the default headers, so that its Cross-Origin-Resource-Policy is the one that stays.
    .use('/widget*', crossOriginScript)
    .use('*', answerHeaders(SECURITY_HEADERS))
    .get(
      '/.well-known/jwks.json',
      documented({
        id: 'jwks',
        summary: 'The public keys that verify member sessions',
        tag: 'Operations',
        answer: [200, answers.described('Jwks', 'A JSON Web Key Set'), 'The keys in use'],
      }),
      async (c) => {
        c.header('Cache-Control', 'public, max-age=300');
        // A key rotated in by another server is published here too (read at most every 10 s).
        await deps.keyRing.refresh?.(deps.clock.now());
        return c.json(deps.keyRing.jwks(deps.clock.now()));
      },
    )
    .get(
      '/healthz',
      documented({
        id: 'healthz',
        summary: 'Alive: the process answers (for a liveness probe)',
        tag: 'Operations',
        answer: [200, answers.ok, 'Alive'],
      }),
      (c) => c.json({ ok: true }),
    )
    .get(
      '/readyz',
      documented({
        id: 'readyz',
        summary: 'Ready: the store and the mail transport answer (for a readiness probe)',
        tag: 'Operations',
        answer: [
          200,
          answers.described('Readiness', '`{ok, checks}`: each check with its outcome'),
          'Ready (503 with the same body when not)',
        ],
      }),
      async (c) => {
        const ready = await readiness(deps);
        c.header('Cache-Control', 'no-store');
        return c.json(ready, ready.ok ? 200 : 503);
      },
    )
    .route('/', metricsRoutes(deps))
    .route('/', widgetRoutes(deps, {}, bundle))
    .route('/', pageRoutes(deps, bundle))
    .route(config.basePath, routes);
  if (config.demo) app.route('/', demoPages(deps));

  app.notFound((c) => errorResponse(new AppError('not_found'), c));
  app.onError(handleError(deps.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
