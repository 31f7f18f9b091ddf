/**
 * The shapes of the staff API's answers, as the panel reads them: generated from the API's
 * OpenAPI document (`api-types.ts`), so the elements never import server code.
 */
import type { components } from './api-types.js';

type Schemas = components['schemas'];

export type ClientSummary = Schemas['ClientSummary'];
export type Capability = keyof ClientSummary['capabilities'];
/** One entry of a client's recent activity. */
export type ClientEvent = Schemas['ClientEvent'];
/** One page of the client list. */
export type ClientPage = Schemas['ClientPage'];
