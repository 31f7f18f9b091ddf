/**
 * The OpenAPI document at /api/openapi.json: a valid OpenAPI 3.1 document that lists every route
 * the app serves, whose error codes exist and come with the status the server gives them, whose
 * success statuses are what the routes answer, and from which the elements' API types are
 * generated (`npm run api-types` keeps `widget/internal/api-types.ts` current).
 */
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus, type ErrorCode } from '../../server/errors.js';
import { API_TYPES_FILE, apiTypesSource } from '../../server/dev/api-types.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { GOOD_PASSWORD, TENANT } from '../helpers/shared.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** Served by the app but not part of the API: pages, scripts, the document itself. */
const NOT_API =
  /^\/(widget|pages|forgot|reset|welcome|verify-email|login|demo\/?|api\/(openapi\.json|docs))\b|^\/:file|^\/$/;

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenAPIV3_1.Document;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO: '1' } });
    const response = await t.get('/api/openapi.json');
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenAPIV3_1.Document;
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(
      structuredClone(document) as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('lists every route the app serves, with its method', () => {
    const served = t.app.routes
      .filter((route) => route.method !== 'ALL' && !NOT_API.test(route.path))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      METHODS.filter((method) => item?.[method]).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.length).toBeGreaterThan(30);
    expect([...new Set(served)].sort()).toEqual([...new Set(documented)].sort());
  });

  it('lists only real error codes, each under the status the server answers it with', () => {
    let listed = 0;
    for (const item of Object.values(document.paths ?? {}))
      for (const method of METHODS)
        for (const [status, response] of Object.entries(item?.[method]?.responses ?? {})) {
          if (Number(status) < 400) continue;
          const codes = (response as { 'x-error-codes'?: ErrorCode[] })['x-error-codes'] ?? [];
          expect(codes.length, `${method} ${status}`).toBeGreaterThan(0);
          for (const code of codes) {
            expect(errorStatus[code], code).toBe(Number(status));
            listed++;
          }
        }
    expect(listed).toBeGreaterThan(100);
  });

  it('gives each operation an id, a summary and its request body schema', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(document.paths ?? {}))
      for (const method of METHODS) {
        const operation = item?.[method];
        if (!operation) continue;
        expect(operation.operationId, `${method} ${path}`).toBeTruthy();
        expect(ids.has(operation.operationId!)).toBe(false);
        ids.add(operation.operationId!);
        expect(operation.summary).toBeTruthy();
      }
    const reset = document.paths?.['/api/reset']?.post?.requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(JSON.stringify(reset.content['application/json'].schema)).toContain('"password"');
  });

  it('documents the status each route answers with when it succeeds', async () => {
    const success = (path: string, method: (typeof METHODS)[number]) =>
      Object.keys(document.paths?.[path]?.[method]?.responses ?? {}).filter((status) => status < '400');
    await t.seedClient({ id: 'c-ola', email: 'ola@example.com', password: GOOD_PASSWORD });
    const calls: Array<[string, (typeof METHODS)[number], () => Response | Promise<Response>]> = [
      ['/api/policy', 'get', () => t.get('/api/policy')],
      ['/api/forgot', 'post', () => t.post('/api/forgot', { identifier: 'ola@example.com', tenant: TENANT })],
      [
        '/api/login',
        'post',
        () => t.post('/api/login', { identifier: 'ola@example.com', password: GOOD_PASSWORD }),
      ],
      [
        '/api/admin/clients',
        'get',
        async () => t.get('/api/admin/clients', await t.asStaff({ tid: 'demo-studio' })),
      ],
      [
        '/api/admin/clients/{id}/reset-link',
        'post',
        async () => t.post('/api/admin/clients/c-ola/reset-link', undefined, await t.asStaff()),
      ],
      ['/healthz', 'get', () => t.get('/healthz')],
    ];
    for (const [path, method, call] of calls) {
      const response = await call();
      expect(success(path, method), `${method} ${path}`).toEqual([String(response.status)]);
    }
  });

  it('is what the elements are typed against (run `npm run api-types` after changing a schema)', async () => {
    expect(await readFile(API_TYPES_FILE, 'utf8')).toBe(await apiTypesSource());
  });

  it('is rendered as a reference page at /api/docs, every operation on it', async () => {
    const response = await t.get('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const page = await response.text();
    for (const item of Object.values(document.paths ?? {}))
      for (const method of METHODS)
        if (item?.[method]) expect(page).toContain(`id="${item[method].operationId}"`);
    expect(page).toContain('password_rejected');
  });
});
