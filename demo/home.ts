/** The demo's home page: only the shared nav to wire up. */
import { initShell } from './lib/shell.js';

initShell();
