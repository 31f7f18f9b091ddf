/** A server-rendered staff page: the token is signed while rendering, so the browser needs no token endpoint. */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { SignJWT } from 'jose';

const RESET_SERVER = 'http://localhost:8787';
// The ADMIN_JWT_SECRET the reset server was started with, from the environment: never in the
// code, never in the page.
const { ADMIN_JWT_SECRET, PORT = '3000' } = process.env;
if (!ADMIN_JWT_SECRET) throw new Error('Set ADMIN_JWT_SECRET (the one the reset server has).');
const secret = new TextEncoder().encode(ADMIN_JWT_SECRET);

interface Staff {
  id: string;
  tenantId: string;
  role: 'admin' | 'staff';
}

/** Short-lived: a page left open longer gets 401s until it is reloaded (or it also sets `getToken`). */
function staffToken(staff: Staff): Promise<string> {
  return new SignJWT({ tid: staff.tenantId, role: staff.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(staff.id)
    .setExpirationTime('15m')
    .sign(secret);
}

const app = new Hono();

app.get('/clients/:id', async (c) => {
  // Your own login says who is asking; here, the front desk of the demo tenant.
  const token = await staffToken({ id: 'front-desk', tenantId: 'demo-studio', role: 'staff' });
  // The page holds a token: keep it out of every cache.
  c.header('Cache-Control', 'no-store');
  // `html` escapes every value, the client id from the URL included.
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Client</title>
          <script type="module" src="${RESET_SERVER}/widget.js"></script>
        </head>
        <body>
          <client-reset-panel client-id="${c.req.param('id')}" token="${token}"></client-reset-panel>
          <script type="module">
            const panel = document.querySelector('client-reset-panel');
            panel.addEventListener('reset-sent', (e) => console.log('reset-sent', e.detail));
          </script>
        </body>
      </html>`,
  );
});

serve({ fetch: app.fetch, port: Number(PORT) });
