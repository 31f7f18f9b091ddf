/** Where the hosted pages live, for the pages' own links and for the links mail carries. */
import type { Tenant } from '../domain.js';

export type HostedPage = 'forgot' | 'reset' | 'welcome' | 'verify-email' | 'login';

/**
 * A hosted page's path for a member of `tenant`. The tenant id (not a secret) rides in the query so
 * the page shows the tenant's name, colours and language; tokens only ever go in the fragment.
 */
export function hostedPagePath(page: HostedPage, tenant: Tenant | null): string {
  return `/${page}${tenant ? `?tenant=${encodeURIComponent(tenant.id)}` : ''}`;
}
