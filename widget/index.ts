/** All three elements in one module: `<client-reset-panel>`, `<forgot-password-form>`, `<force-reset-dialog>`. */
export { ClientResetPanel } from './client-reset-panel/client-reset-panel.js';
export { ForgotPasswordForm } from './forgot-password-form/forgot-password-form.js';
export { ForceResetDialog } from './force-reset-dialog/force-reset-dialog.js';
export { ApiError } from './internal/api.js';
export type { ResetEventMap } from './internal/events.js';
