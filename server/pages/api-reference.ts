/**
 * The API reference page (GET /api/docs), rendered on the server from the OpenAPI document: each
 * operation with its method and path, what it is for, who may call it, its query or body and its
 * answers with their error codes. Static HTML with no script, so it works under the strictest CSP
 * and offline (the usual browser-side viewers load megabytes of script from a CDN).
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { OpenAPIV3_1 } from 'openapi-types';

type Operation = OpenAPIV3_1.OperationObject;
type Maybe<T> = T | OpenAPIV3_1.ReferenceObject | undefined;

const CSS = `
body{margin:0 auto;max-width:60rem;padding:1rem 1.25rem 3rem;font:15px/1.5 system-ui,sans-serif;color:#1f2328}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
section{margin:1.25rem 0;padding:.9rem 1rem;border:1px solid #d0d7de;border-radius:8px}
h3{margin:0;font:600 1rem ui-monospace,monospace}
.method{display:inline-block;min-width:4.2rem;color:#fff;background:#57606a;border-radius:4px;padding:0 .4rem;margin-right:.5rem;text-align:center}
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
pre{background:#f6f8fa;padding:.6rem;border-radius:6px;overflow:auto;font-size:.85rem;max-height:22rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.3rem .5rem;border-top:1px solid #eaeef2}
code{font-family:ui-monospace,monospace}.muted{color:#57606a}
nav a{margin-right:1rem}
`;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function schemaOf(content: Record<string, OpenAPIV3_1.MediaTypeObject> | undefined): unknown {
  const media = content && Object.values(content)[0];
  return media?.schema;
}

function json(value: unknown): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<pre><code>${JSON.stringify(value, null, 2)}</code></pre>`;
}

function requestPart(operation: Operation) {
  const params = (operation.parameters ?? []) as Array<Maybe<OpenAPIV3_1.ParameterObject>>;
  const listed = params.filter((p): p is OpenAPIV3_1.ParameterObject => !!p && !('$ref' in p));
  const body = operation.requestBody as Maybe<OpenAPIV3_1.RequestBodyObject>;
  return html`${
    listed.length
      ? html`<p><strong>Query</strong></p>
          <table>
            ${listed.map(
              (p) =>
                html`<tr>
                  <td>
                    <code>${p.name}</code>${p.required ? '' : html` <span class="muted">(optional)</span>`}
                  </td>
                  <td>${json(p.schema)}</td>
                </tr>`,
            )}
          </table>`
      : ''
  }
  ${
    body && !('$ref' in body)
      ? html`<p><strong>Body</strong></p>
          ${json(schemaOf(body.content))}`
      : ''
  }`;
}

function responsesPart(operation: Operation) {
  const rows = Object.entries(operation.responses ?? {}).map(([status, response]) => {
    const r = response as OpenAPIV3_1.ResponseObject;
    const schema = schemaOf(r.content);
    const ok = status.startsWith('2');
    return html`<tr>
      <td><code>${status}</code></td>
      <td>${r.description}${ok && schema ? json(schema) : ''}</td>
    </tr>`;
  });
  return html`<p><strong>Answers</strong></p>
    <table>
      ${rows}
    </table>`;
}

function operationPart(path: string, method: string, operation: Operation) {
  const security = operation.security?.flatMap((requirement) => Object.keys(requirement)) ?? [];
  return html`<section id="${operation.operationId ?? ''}">
    <h3><span class="method ${method}">${method.toUpperCase()}</span>${path}</h3>
    <p>${operation.summary ?? ''}${operation.description ? html` ${operation.description}` : ''}</p>
    ${security.length ? html`<p class="muted">Authorization: Bearer (${security.join(', ')})</p>` : ''}
    ${requestPart(operation)} ${responsesPart(operation)}
  </section>`;
}

export function renderApiReference(document: OpenAPIV3_1.Document, nonce: string) {
  const byTag = new Map<string, Array<[string, string, Operation]>>();
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), [path, method, operation]]);
    }
  const server = document.servers?.[0]?.url ?? '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${document.info.title} ${document.info.version}</title>
        <style nonce="${nonce}">
          ${raw(CSS)}
        </style>
      </head>
      <body>
        <h1>${document.info.title} <span class="muted">${document.info.version}</span></h1>
        <p>${document.info.description ?? ''}</p>
        <p>
          Server: <code>${server}</code> · The document: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1)
        </p>
        <p>Schemas named in the answers are in the document's <code>components.schemas</code>.</p>
        <nav>${[...byTag.keys()].map((tag) => html`<a href="#tag-${tag}">${tag}</a>`)}</nav>
        ${[...byTag].map(
          ([tag, operations]) =>
            html`<h2 id="tag-${tag}">${tag}</h2>
              ${operations.map(([path, method, operation]) => operationPart(path, method, operation))}`,
        )}
      </body>
    </html>`;
}
