/**
 * What the store keeps for webhooks: the endpoints, and for each endpoint a queue of deliveries
 * that is also its delivery log. A queue is worked by one server at a time (a lease), in order,
 * so each event reaches each endpoint once however many servers share the store.
 */

export interface WebhookSecret {
  /** `whsec_` and the base64 of the key, as Standard Webhooks writes it. */
  secret: string;
  /** Epoch ms after which it no longer signs (set when a newer secret replaced it); absent: current. */
  until?: number;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Only clients of these tenants; null: every tenant. */
  tenants: string[] | null;
  /** Only these event types; null: every type. */
  events: string[] | null;
  /** The current secret last; an older one signs beside it until its `until`. */
  secrets: WebhookSecret[];
  enabled: boolean;
  description?: string;
  /** `api` (registered over provisioning) or `config` (WEBHOOK_ENDPOINTS, managed there). */
  source: 'api' | 'config';
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryAttempt {
  at: number;
  /** The receiver's HTTP status; absent when no answer came (refused, timed out, address refused). */
  status?: number;
  /** Why it failed, without any secret: `timeout`, `ECONNREFUSED`, `address not allowed`, `HTTP 500`… */
  error?: string;
  ms: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  /** Its place in the endpoint's queue (1, 2, …): the delivery's id within the endpoint. */
  n: number;
  endpointId: string;
  /** The `webhook-id`: the same for every try and every endpoint of one event. */
  eventId: string;
  type: string;
  /** The exact JSON body that is signed and sent. */
  payload: string;
  createdAt: number;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** When the next try is due; null once delivered or given up. */
  nextAttemptAt: number | null;
  /** The delivery this one replays. */
  replayOf?: number;
  /**
   * A number a server reserved and never wrote (it stopped in between): the event it was for is
   * unknown, and the log says so.
   */
  lost?: true;
}

export type NewDelivery = Pick<Delivery, 'eventId' | 'type' | 'payload' | 'createdAt'> & {
  replayOf?: number;
};

export interface WebhookStore {
  listEndpoints(): Promise<WebhookEndpoint[]>;
  getEndpoint(id: string): Promise<WebhookEndpoint | null>;
  /** Creates or replaces the endpoint. */
  putEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /**
   * Atomic read-modify-write of an endpoint (`change` is pure and may run more than once; an
   * error it throws aborts); null when there is none.
   */
  changeEndpoint(
    id: string,
    change: (current: WebhookEndpoint) => WebhookEndpoint,
  ): Promise<WebhookEndpoint | null>;
  /** Removes the endpoint (its queue stops); false when there was none. */
  deleteEndpoint(id: string): Promise<boolean>;

  /** Appends a delivery to the endpoint's queue, due at once. */
  enqueue(endpointId: string, delivery: NewDelivery): Promise<Delivery>;
  /**
   * The endpoint's oldest unfinished delivery, if it is due at `now` and no other worker holds the
   * queue: the queue is then held by `worker` for `leaseMs` (until `finishAttempt`). Null otherwise.
   */
  claimDue(endpointId: string, worker: string, now: number, leaseMs: number): Promise<Delivery | null>;
  /**
   * Records one try of a claimed delivery: `nextAttemptAt` null ends it as `delivered` (`ok`) or
   * `failed`; a time keeps it pending until then. When it ended and the next delivery waits (one
   * never tried, so due), the queue stays held by `worker` for `leaseMs` more from `now` and that
   * delivery is returned; otherwise the queue is freed and the answer is null.
   */
  finishAttempt(
    endpointId: string,
    worker: string,
    n: number,
    outcome: { attempt: DeliveryAttempt; ok: boolean; nextAttemptAt: number | null },
    lease: { now: number; leaseMs: number },
  ): Promise<Delivery | null>;
  /** Frees the queue if `worker` holds it (a server stopping between two deliveries). */
  release(endpointId: string, worker: string): Promise<void>;
  /** Newest first, at most `limit`, starting below `before` (a delivery's `n`) when given. */
  listDeliveries(endpointId: string, limit: number, before?: number): Promise<Delivery[]>;
}
