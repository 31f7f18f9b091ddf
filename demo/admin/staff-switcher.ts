/** "Signed in as": switches the demo's staff token between the front desk (staff) and the manager (admin). */
import { currentStaff, setStaffRole, STAFF_IDENTITIES, type StaffIdentity } from '../lib/staff.js';

/** Fills the `<select>` and calls `onChange` after a switch (the new identity's token is minted on demand). */
export function mountStaffSwitcher(select: HTMLSelectElement, onChange: () => void = () => {}): void {
  select.replaceChildren(
    ...STAFF_IDENTITIES.map(
      (who) => new Option(who.label, who.role, false, who.role === currentStaff().role),
    ),
  );
  select.addEventListener('change', () => {
    setStaffRole(select.value as StaffIdentity['role']);
    onChange();
  });
}
