/**
 * React 19: <client-reset-panel> in a component. Load the elements once per page, in index.html:
 *   <script type="module" src="http://localhost:8787/widget.js"></script>
 */
import { useCallback, useState } from 'react';

// Your backend signs a short-lived staff token for the logged-in staff member (HS256 with the
// reset server's ADMIN_JWT_SECRET); the panel asks again when it has expired.
const getToken = () => fetch('/my-backend/reset-token').then((r) => r.text());

export function ClientResetPanel({ clientId }) {
  const [notice, setNotice] = useState('');
  // A function and events go on the element itself, not through attributes. A ref callback runs
  // as soon as the element exists, so the panel's first request already carries the token.
  const panelRef = useCallback((panel) => {
    panel.getToken = getToken;
    const onSent = (e) => setNotice(`Sent (${e.detail.kind}), ${e.detail.resendsLeft} left today.`);
    const onSet = (e) => setNotice(`Password set (${e.detail.delivered}).`);
    panel.addEventListener('reset-sent', onSent);
    panel.addEventListener('reset-password-set', onSet);
    return () => {
      panel.removeEventListener('reset-sent', onSent);
      panel.removeEventListener('reset-password-set', onSet);
    };
  }, []);

  return (
    <>
      <client-reset-panel ref={panelRef} client-id={clientId} />
      <p role="status">{notice}</p>
    </>
  );
}
