import { v5 as uuidv5 } from 'uuid';

const RESOURCE_ID_NAMESPACE = '0e6f3a52-8c1b-4d7a-9f21-6b5c4d3e2a10';

/** A resource id the ledger gives when the caller gives none: derived from the command id, so a retry names the same resource. */
export function derivedId(commandId: string, resource: string): string {
  return uuidv5(`${resource}/${commandId}`, RESOURCE_ID_NAMESPACE);
}
