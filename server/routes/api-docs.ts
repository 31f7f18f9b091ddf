/**
 * GET /api/openapi.json, the OpenAPI 3.1 document of the whole app, and GET /api/docs, the API
 * reference rendered from it. Built once, on the first request, from the routes as mounted.
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Deps } from '../deps.js';
import { openApiDocument } from '../http/openapi.js';
import { renderApiReference } from '../pages/api-reference.js';
import { PACKAGE_VERSION } from '../version.js';

export function apiDocsRoutes(deps: Deps, app: () => Hono): Hono {
  let document: ReturnType<typeof openApiDocument> | undefined;
  const load = () =>
    (document ??= openApiDocument(app(), {
      publicUrl: deps.config.publicUrl,
      version: PACKAGE_VERSION,
    }).catch((error: unknown) => {
      document = undefined;
      throw error;
    }));
  return new Hono()
    .get('/openapi.json', async (c) => {
      c.header('Access-Control-Allow-Origin', '*');
      return c.json(await load());
    })
    .get('/docs', async (c) => {
      const nonce = randomBytes(16).toString('base64');
      c.header(
        'Content-Security-Policy',
        `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`,
      );
      return c.html(renderApiReference(await load(), nonce));
    });
}
