import type { WorkloadStatus } from '@charms/hooktools';

/** A status a layer asked for during the hook. */
export interface StatusRecord {
  readonly status: Exclude<WorkloadStatus, 'maintenance'>;
  readonly message: string;
  /** The layer that asked, when known (from the running handler's id). */
  readonly layer: string | undefined;
}

/** Most important first: the first of these with a record is the one sent. */
const PRECEDENCE: readonly StatusRecord['status'][] = ['blocked', 'waiting', 'active'];

/**
 * The statuses asked for in one hook, and the rule that picks the one to send: the
 * most important state wins (blocked, then waiting, then active); within it, the layer
 * latest in include order (the charm's own layer is last); within one layer, the most
 * recent request. A request from outside any handler ranks below every layer.
 */
export class StatusQueue {
  /** The layer's atstart ran: deferred statuses will be sent by its atexit. */
  initialized = false;
  /** The end-of-hook status was sent; later requests are sent at once. */
  finalized = false;
  readonly records: StatusRecord[] = [];

  /** The record to send, or undefined when nothing was asked for. */
  resolve(layerOrder: readonly string[]): StatusRecord | undefined {
    for (const status of PRECEDENCE) {
      let best: StatusRecord | undefined;
      let bestRank = -Infinity;
      for (const record of this.records) {
        if (record.status !== status) continue;
        const rank = record.layer === undefined ? -1 : layerOrder.indexOf(record.layer);
        // `>=`: among equals, the later record wins.
        if (rank >= bestRank) {
          best = record;
          bestRank = rank;
        }
      }
      if (best) return best;
    }
    return undefined;
  }
}
