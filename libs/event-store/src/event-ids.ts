import { parse as uuidParse, v5 as uuidv5 } from 'uuid';

/** Parsed once: given as text, uuid would parse it on every call. */
const LEDGER_EVENT_NAMESPACE = uuidParse('5b0f6c5e-2d4f-4f7e-9a8b-3c1d2e4f6a70');

/**
 * The id of the `index`-th event a command appends: derived from the command id, so a retried command
 * produces the same ids and the store applies it once.
 */
export function eventIdFor(commandId: string, index: number): string {
  return uuidv5(`${commandId}#${index}`, LEDGER_EVENT_NAMESPACE);
}

/**
 * A command id as the ledger keeps it: the client's own id (its Idempotency-Key) within that client's
 * namespace, so two clients' keys never name the same command. Neither part can hold a `/`.
 */
export function scopedCommandId(client: string, commandId: string): string {
  return `${client}/${commandId}`;
}
