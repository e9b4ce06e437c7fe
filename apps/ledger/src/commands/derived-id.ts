import { v5 as uuidv5 } from 'uuid';
import { scopedCommandId } from '@ledger/event-store';
import type { CommandEnvelope } from './command-runner';

const RESOURCE_ID_NAMESPACE = '0e6f3a52-8c1b-4d7a-9f21-6b5c4d3e2a10';

/**
 * A resource id the ledger gives when the caller gives none: derived from the client and its command id, so
 * a retry names the same resource and two clients' keys never name one.
 */
export function derivedId({ client, commandId }: Pick<CommandEnvelope, 'client' | 'commandId'>, resource: string): string {
  return uuidv5(`${resource}/${scopedCommandId(client, commandId)}`, RESOURCE_ID_NAMESPACE);
}
