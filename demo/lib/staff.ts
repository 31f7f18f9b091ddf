/**
 * Who is signed in to the demo's admin portal, and their staff token. A real portal's backend
 * signs this token (HS256 with ADMIN_JWT_SECRET); the demo asks `POST /api/demo/staff-token`.
 */
import { api } from './api.js';

export interface StaffIdentity {
  role: 'staff' | 'admin';
  staffId: string;
  label: string;
}

export const STAFF_IDENTITIES: StaffIdentity[] = [
  { role: 'staff', staffId: 'front-desk', label: 'Front desk (staff)' },
  { role: 'admin', staffId: 'studio-manager', label: 'Studio manager (admin)' },
];

const KEY = 'demo.staff.role';

/** The choice lives in localStorage; with site data blocked it lasts as long as the page. */
let chosen: string | null = null;

export function currentStaff(): StaffIdentity {
  let role = chosen;
  try {
    role ??= localStorage.getItem(KEY);
  } catch {
    // site data blocked: the default identity
  }
  return STAFF_IDENTITIES.find((who) => who.role === role) ?? STAFF_IDENTITIES[0];
}

export function setStaffRole(role: StaffIdentity['role']): void {
  chosen = role;
  try {
    localStorage.setItem(KEY, role);
  } catch {
    // site data blocked: kept for this page only
  }
}

/** A fresh token for whoever is signed in (they last 8 h; the panel asks again after a 401). */
export async function staffToken(): Promise<string> {
  const { role, staffId } = currentStaff();
  const { token } = await api<{ token: string }>('/demo/staff-token', { body: { staffId, role } });
  return token;
}
