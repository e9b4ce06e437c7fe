import { v5 as uuidv5 } from 'uuid';

const LEDGER_EVENT_NAMESPACE = '5b0f6c5e-2d4f-4f7e-9a8b-3c1d2e4f6a70';

/**
 * The id of the `index`-th event a command appends: derived from the command id, so a retried command
 * produces the same ids and the store applies it once.
 */
export function eventIdFor(commandId: string, index: number): string {
  return uuidv5(`${commandId}#${index}`, LEDGER_EVENT_NAMESPACE);
}
