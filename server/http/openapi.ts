/**
 * The OpenAPI 3.1 document of the API (`GET /api/openapi.json`): request bodies and queries come
 * from the zod schemas the routes validate with (`validJson`, `validQuery`); each route adds its
 * answer's schema and the error codes it can give with `documented()`. Error codes are listed
 * under the status the server gives them (`errorStatus`), so the two cannot disagree.
 */
import type { MiddlewareHandler } from 'hono';
import { describeRoute, generateSpecs, resolver } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { z } from 'zod';
import { errorStatus, type ErrorCode } from '../errors.js';
import { errorBody } from './api-schemas.js';

export type ApiTag = 'Member' | 'Staff' | 'Provisioning' | 'Webhooks' | 'Operations' | 'Demo';
type Security = 'staff' | 'provision' | 'session';

export interface RouteDoc {
  /** The operation's id, a verb first (`requestPasswordReset`): generated clients name methods after it. */
  id: string;
  summary: string;
  description?: string;
  tag: ApiTag;
  /** The success status and, unless the answer has no body, its schema. */
  answer: [status: number, schema: z.ZodType | null, description: string];
  /** The error codes this route gives besides the ones every route can give. */
  errors?: ErrorCode[];
  /** The route reads a JSON body or a query: it can be refused as malformed. */
  input?: boolean;
  security?: Security;
}

/** Every API route can fail on storage or a bug; one with a body or a query can be refused. */
const ALWAYS: ErrorCode[] = ['storage_unavailable', 'internal_error'];
const WITH_INPUT: ErrorCode[] = ['invalid_request', 'unsupported_media_type', 'payload_too_large'];
const WITH_SECURITY: Record<Security, ErrorCode[]> = {
  staff: ['unauthorized', 'forbidden'],
  provision: ['unauthorized'],
  session: ['session_invalid'],
};

/** The error responses of a route: its codes grouped by their status, each status naming its codes. */
export function errorResponses(codes: ErrorCode[]): Record<string, OpenAPIV3_1.ResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes))
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  const responses: Record<string, OpenAPIV3_1.ResponseObject> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: `Error codes: ${list.join(', ')}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      // Machine-readable, for clients and for the test that checks each code is real.
      ...({ 'x-error-codes': list } as object),
    };
  }
  return responses;
}

/** Documents one route in the OpenAPI document; does nothing to the request. */
export function documented(route: RouteDoc): MiddlewareHandler {
  const [status, schema, description] = route.answer;
  const codes = [
    ...(route.errors ?? []),
    ...(route.input ? WITH_INPUT : []),
    ...(route.security ? WITH_SECURITY[route.security] : []),
    ...ALWAYS,
  ];
  return describeRoute({
    operationId: route.id,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.security ? { security: [{ [route.security]: [] }] } : {}),
    responses: {
      [status]: {
        description,
        ...(schema ? { content: { 'application/json': { schema: resolver(schema) } } } : {}),
      },
      ...errorResponses(codes),
    },
  });
}

export interface DocumentOptions {
  publicUrl: string;
  version: string;
}

/** The whole document for an app whose API routes carry `documented()` and the validators. */
export async function openApiDocument(
  app: Parameters<typeof generateSpecs>[0],
  options: DocumentOptions,
): Promise<OpenAPIV3_1.Document> {
  const document = await generateSpecs(app, {
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'client-reset API',
        version: options.version,
        description:
          'Credential reset for client portals: member self-service, staff actions, provisioning and webhooks. ' +
          'Every error answers `{"error": {"code", "message"}}` with a stable code.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          staff: {
            type: 'http',
            scheme: 'bearer',
            description: 'A staff token your backend signs (HS256 or your JWKS)',
          },
          provision: { type: 'http', scheme: 'bearer', description: 'PROVISION_API_KEY' },
          session: { type: 'http', scheme: 'bearer', description: 'A member session from POST /login' },
        },
      },
    },
    defaultValidationErrorResponse: false,
    // /.well-known/jwks.json is an operation, not a file.
    excludeStaticFile: false,
  });
  // The error body is referenced by every error response; resolvers only add what they resolve.
  // (The schema has an id, so the resolver answers with a reference and the schema among its components.)
  const { components } = await resolver(errorBody).toOpenAPISchema();
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...components?.schemas },
  };
  return document;
}
