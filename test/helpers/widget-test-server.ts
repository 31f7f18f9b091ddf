/**
 * The real API behind the browser tests. `widgetTestServer()` gives web-test-runner a middleware
 * that forwards every request under `/api/` and `/.well-known/` to `createApp` as built by
 * `createTestApp` (memory store, ManualClock, outbox), converting Koa's request to a fetch
 * `Request` and the `Response` back (status, headers, body), and serves test-control routes under
 * `/__test/` that exist only here.
 *
 * Each test file runs in its own page, and each page gets its own app: requests are keyed by the
 * `wtr-session-id` of the page that sent them (in the Referer), so every file starts from an empty
 * server, files can run in parallel, and `POST /__test/reset` starts only its own app over.
 * Requests without a session id share one app.
 */
import type { IncomingMessage } from 'node:http';
import type { TestRunnerConfig } from '@web/test-runner';
import { Hono } from 'hono';
import { createTestApp, type TestApp } from './app.js';
import { TENANT } from './shared.js';

type Middleware = NonNullable<TestRunnerConfig['middleware']>[number];
type Plugin = NonNullable<TestRunnerConfig['plugins']>[number];
type Json = Record<string, unknown>;

const FORWARDED = ['/api/', '/.well-known/'];
const CONTROL = '/__test/';
const SESSION_PARAM = 'wtr-session-id';
const SHARED = 'shared';
/** Hop-by-hop and length headers are the transport's business, not the app's. */
const SKIPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);
const SKIPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'set-cookie',
]);

const close = (app: TestApp) => app.close();

class Sessions {
  private apps = new Map<string, Promise<TestApp>>();

  get(key: string): Promise<TestApp> {
    return this.apps.get(key) ?? this.start(key);
  }

  async reset(key: string, env?: Record<string, string>): Promise<TestApp> {
    const old = this.apps.get(key);
    const fresh = this.start(key, env);
    await old?.then(close, () => undefined);
    return fresh;
  }

  async closeAll(): Promise<void> {
    const apps = [...this.apps.values()];
    this.apps.clear();
    await Promise.all(apps.map((app) => app.then(close, () => undefined)));
  }

  private start(key: string, env?: Record<string, string>): Promise<TestApp> {
    const app = createTestApp({ env });
    this.apps.set(key, app);
    // A failed start is not kept: the next request tries again.
    app.catch(() => {
      if (this.apps.get(key) === app) this.apps.delete(key);
    });
    return app;
  }
}

/** The test-control routes; `c.env.session` names the calling page's app. */
function controlRoutes(sessions: Sessions) {
  return (
    new Hono<{ Bindings: { session: string } }>()
      .basePath('/__test')
      // A fresh app for this page: new memory store, clock, keys and rate limits. `env` adds settings.
      .post('/reset', async (c) => {
        const body: { env?: Record<string, string> } = await c.req.json().catch(() => ({}));
        const app = await sessions.reset(c.env.session, body.env);
        return c.json({ ok: true, session: c.env.session, now: app.clock.now() });
      })
      // An account straight into the store, as `seedClient` makes it; `password` makes it active.
      .post('/seed', async (c) => {
        const app = await sessions.get(c.env.session);
        const account = await app.seedClient(await c.req.json());
        const { id, name, email, username, tenants, loginEnabled, emailConfirmed } = account;
        return c.json({ id, name, email, username, tenants, loginEnabled, emailConfirmed }, 201);
      })
      // `{id, ...tenant}` through the real provisioning endpoint; answers what it answers.
      .post('/provision-tenant', async (c) => {
        const app = await sessions.get(c.env.session);
        const { id, ...tenant } = await c.req.json<Json & { id: string }>();
        return app.provisionTenant(id, tenant);
      })
      .post('/staff-token', async (c) => {
        const app = await sessions.get(c.env.session);
        const claims: { tid?: string; sub?: string; role?: string } = await c.req.json().catch(() => ({}));
        return c.json({ token: await app.staffToken(claims), tenant: claims.tid ?? TENANT });
      })
      // Newest first, after every mail sent in the background; `?to=` filters by recipient.
      .get('/outbox', async (c) => {
        const app = await sessions.get(c.env.session);
        const to = c.req.query('to');
        const items = await app.outbox();
        return c.json({ items: to ? items.filter((message) => message.to === to) : items });
      })
      .post('/clock', async (c) => {
        const app = await sessions.get(c.env.session);
        const body = await c.req.json<{ advanceMs?: number; setMs?: number }>();
        if (typeof body.setMs === 'number') app.clock.set(body.setMs);
        if (typeof body.advanceMs === 'number') app.clock.advance(body.advanceMs);
        return c.json({ now: app.clock.now() });
      })
      // `{id, tid?, sub?, ...body}` → POST /api/admin/clients/:id/password as staff of `tid`.
      .post('/password', async (c) => {
        const app = await sessions.get(c.env.session);
        const { id, tid, sub, ...body } = await c.req.json<
          Json & { id: string; tid?: string; sub?: string }
        >();
        const headers = await app.asStaff({ tid, sub });
        return app.post(`/api/admin/clients/${encodeURIComponent(id)}/password`, body, headers);
      })
      .notFound((c) => c.json({ error: { code: 'not_found', message: `No test route ${c.req.path}.` } }, 404))
      .onError((error, c) => c.json({ error: { code: 'test_route_failed', message: error.message } }, 500))
  );
}

function sessionOf(referer: string | undefined): string {
  if (!referer) return SHARED;
  try {
    return new URL(referer).searchParams.get(SESSION_PARAM) ?? SHARED;
  } catch {
    return SHARED;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || SKIPPED_REQUEST_HEADERS.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

export function widgetTestServer(): { middleware: Middleware; plugin: Plugin } {
  const sessions = new Sessions();
  const control = controlRoutes(sessions);
  let warnedShared = false;

  const middleware: Middleware = async (ctx, next) => {
    const isControl = ctx.path.startsWith(CONTROL);
    if (!isControl && !FORWARDED.some((prefix) => ctx.path.startsWith(prefix))) return next();

    const method = ctx.method.toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(ctx.req);
    const request = new Request(new URL(ctx.originalUrl, `http://${ctx.host}`), {
      method,
      headers: toHeaders(ctx.req),
      body: body && body.length > 0 ? new Uint8Array(body) : undefined,
    });
    const session = sessionOf(ctx.get('referer'));
    if (session === SHARED && !warnedShared) {
      warnedShared = true;
      console.warn(
        `[widget-test-api] ${method} ${ctx.path} came without a wtr-session-id Referer and went to the ` +
          'shared app, not the test page\'s own (was it sent with referrerPolicy "no-referrer"?)',
      );
    }
    // `incoming` is what @hono/node-server's getConnInfo reads: the socket address for rate limits.
    const env = { incoming: ctx.req, outgoing: ctx.res, session };
    let response: Response;
    try {
      response = isControl
        ? await control.fetch(request, env)
        : await (await sessions.get(session)).app.fetch(request, env);
    } catch (error) {
      response = Response.json(
        { error: { code: 'bridge_failed', message: error instanceof Error ? error.message : String(error) } },
        { status: 500 },
      );
    }

    // Written straight to the socket so that no test-runner middleware rewrites the app's headers
    // (it would put a year-long Cache-Control on any path with an extension); `ctx.status` is
    // still set for the test runner's own bookkeeping.
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (!SKIPPED_RESPONSE_HEADERS.has(name)) headers[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    const payload = Buffer.from(await response.arrayBuffer());
    const empty = method === 'HEAD' || response.status === 204 || response.status === 304;
    if (!empty) headers['content-length'] = String(payload.length);
    else if (method === 'HEAD' && response.headers.has('content-length'))
      headers['content-length'] = response.headers.get('content-length')!;
    ctx.status = response.status;
    ctx.respond = false;
    ctx.res.writeHead(response.status, headers);
    ctx.res.end(empty ? undefined : payload);
  };

  const plugin: Plugin = {
    name: 'widget-test-api',
    serverStop: () => sessions.closeAll(),
  };

  return { middleware, plugin };
}
