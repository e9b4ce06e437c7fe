import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { LEDGER_EVENT_TYPES, RIGHTS } from '@ledger/domain';

/**
 * The shapes of the answers that have no class of their own, as the API document describes them: what a
 * generated client types its reads with. Each names the fields the ledger always sends (`required`); the
 * conformance test holds every answer to its schema.
 */
const string = (description?: string): SchemaObject => ({ type: 'string', ...(description && { description }) });
const instant = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description && { description }) });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const strings: SchemaObject = { type: 'array', items: { type: 'string' } };
const object = (properties: Record<string, SchemaObject>, optional: readonly string[] = [], description?: string): SchemaObject => ({
  type: 'object', properties, required: Object.keys(properties).filter((name) => !optional.includes(name)), ...(description && { description }),
});
const list = (items: SchemaObject, description?: string): SchemaObject => ({ type: 'array', items, ...(description && { description }) });

/** A page of items, with where to go on. */
export const page = (item: SchemaObject): SchemaObject => object({
  items: list(item),
  page: object({ limit: { type: 'integer' }, complete: { type: 'boolean' }, nextCursor: string('Give as cursor for the next page.') }, ['nextCursor']),
});

const step = object({ eventId: string(), type: string(), at: instant(), assignmentId: string() }, ['assignmentId'], 'A fact behind the state.');
const reason = object({ rule: string('The rule that gives or withholds the right.'), eventIds: strings, detail: string() });
const right: SchemaObject = { type: 'string', enum: [...RIGHTS] };

export const SUPPORT_RIGHTS = object({
  customerId: string(), evaluatedAt: instant(),
  partners: list(object({
    partnerId: string(),
    rights: list(object({
      right, reasons: list(reason), until: nullable(instant('When the last delegated admin the right rests on ends.')), roles: strings,
    }, ['roles'])),
  })),
});

export const RIGHT_CHECK = object({
  customerId: string(), evaluatedAt: instant(), partnerId: string(), right, allowed: { type: 'boolean' }, reasons: list(reason),
});

export const GDAP_RELATIONSHIPS = object({
  customerId: string(), evaluatedAt: instant(),
  relationships: list(object({
    gdapId: string(), partnerId: string(), roles: strings, durationDays: nullable({ type: 'integer' }), autoExtend: { type: 'boolean' },
    origin: string(), status: { type: 'string', enum: ['approval-pending', 'active', 'expired', 'terminated', 'request-expired'] },
    requestExpiresAt: nullable(instant()), endsAt: nullable(instant()),
    assignments: list({ type: 'object', description: 'A security group’s access: its roles and state.' }),
    steps: list(step), inForce: { type: 'boolean' }, accessRoles: strings,
  })),
});

export const TRANSFERS = object({
  customerId: string(), evaluatedAt: instant(),
  transfers: list(object({
    transferId: string(), sourcePartnerId: string(), targetPartnerId: string(), subscriptionIds: strings, expiresAt: instant(),
    status: { type: 'string', enum: ['pending', 'completed', 'rejected', 'cancelled', 'expired'] }, steps: list(step),
  })),
});

export const PARTNER_CUSTOMERS = page(object({
  customerId: string(),
  via: list(object({ role: { type: 'string', enum: ['owner', 'linked-reseller', 'delegated-admin', 'gdap-access'] }, refId: string(), endsAt: nullable(instant()) })),
}));

export const PENDING_REQUESTS = page(object({
  kind: { type: 'string', enum: ['gdap-request', 'transfer'] }, direction: { type: 'string', enum: ['outgoing', 'incoming'] },
  customerId: string(), refId: string(), counterpartyId: nullable(string()), expiresAt: instant(),
}));

export const RESELLER_CUSTOMERS = page(object({ resellerId: string(), customerId: string(), relationshipId: string() }));

export const EXPIRING_GRANTS = page(object({ customerId: string(), grantId: string(), partnerId: string(), roles: strings, endsAt: instant() }));

export const EXPIRING_GDAP = page(object({
  customerId: string(), gdapId: string(), partnerId: string(), roles: strings, accessRoles: strings, endsAt: instant(), autoExtend: { type: 'boolean' },
}));

export const POLICIES = object({
  evaluatedAt: instant(), inForce: string('The version in force on the ledger’s clock.'),
  versions: list(object({ version: string(), effectiveFrom: instant(), title: string(), rules: list(object({ id: string(), title: string() })) })),
});

const recordedEvent = object({
  position: string(), revision: string(), id: string(), type: { type: 'string', enum: [...LEDGER_EVENT_TYPES] }, schemaVersion: { type: 'integer' },
  data: { type: 'object' }, metadata: { type: 'object', description: 'Who acted, through which client, when, under which rules, and the hashes.' },
  policy: string(),
});

export const HISTORY = page(recordedEvent);

export const REFUSALS = page(object({
  sequence: string(), commandId: string(), commandHash: string(), commandType: string(), stream: string(), code: string(), category: string(),
  message: string(), actor: object({ kind: string(), id: string() }), client: string(), correlationId: string(), recordedAt: instant(),
  command: { type: 'object', description: 'The command as the caller sent it.' }, policy: string(),
}));

/** The change feed's `data`: one event, without its audit metadata. */
export const FEED_ITEM = object({
  position: string(), stream: string(), category: { type: 'string', enum: ['customer', 'partner'] }, id: string(), revision: string(),
  eventId: string(), type: { type: 'string', enum: [...LEDGER_EVENT_TYPES] }, schemaVersion: { type: 'integer' }, data: { type: 'object' },
  recordedAt: instant(), policy: string(), correlationId: string(),
});

export const DIGEST = object({
  intact: { type: 'boolean' }, position: string('The position the digest covers (absent for an empty log).'), eventsChecked: { type: 'integer' },
  streams: { type: 'integer' }, digest: string('The digest of every stream’s head.'),
  brokenLink: { type: 'object', description: 'The first event whose hash does not follow (absent when intact).' },
}, ['position', 'brokenLink']);

/** Terminus' answer to a health check. */
export const HEALTH = object({
  status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] }, info: { type: 'object' }, error: { type: 'object' }, details: { type: 'object' },
}, ['info', 'error']);

export const REBUILD_STATUS = object({
  state: { type: 'string', enum: ['idle', 'running', 'succeeded', 'failed'] }, cause: string(), startedAt: instant(), finishedAt: instant(),
  events: { type: 'integer' }, seconds: { type: 'number' }, error: string(),
}, ['cause', 'startedAt', 'finishedAt', 'events', 'seconds', 'error']);

export const BACKUP = object({
  file: string('Where the backup was written.'), seconds: { type: 'number' }, format: string(), createdAt: instant(),
  position: string('The last event in the backup (absent for an empty log).'), events: { type: 'integer' }, digest: string(),
  files: list(object({ name: string(), bytes: { type: 'integer' }, sha256: string() })),
}, ['position']);

export const CHECKPOINT_KEY = object({ origin: string(), verifierKey: string('The C2SP signed-note verifier key.') });

export const CHECKPOINT = object({
  origin: string(), treeSize: { type: 'integer' }, rootHash: string('base64'),
  streamHeads: object({ count: { type: 'integer' }, rootHash: string('base64') }, [], 'What the checkpoint commits to of the streams’ heads.'),
  recordedAt: instant(), note: string('The signed checkpoint note.'),
}, ['streamHeads']);

const storedEvent = object({
  id: string(), stream: string(), revision: string(), position: string(), type: string(), schemaVersion: { type: 'integer' },
  data: { type: 'object' }, metadata: { type: 'object' },
});
const leaf = object({ stream: string(), revision: string(), hash: string() });
const headProof = object({ index: { type: 'integer' }, head: leaf, proof: strings });

export const INCLUSION_PROOF = object({
  kind: { type: 'string', enum: ['inclusion'] }, checkpoint: string(), treeSize: { type: 'integer' }, leafIndex: { type: 'integer' }, leaf,
  proof: strings, event: storedEvent,
});

export const STREAM_PROOF = object({
  kind: { type: 'string', enum: ['stream'] }, checkpoint: string(), treeSize: { type: 'integer' }, stream: string(),
  heads: object({ count: { type: 'integer' }, head: headProof, before: headProof, after: headProof }, ['head', 'before', 'after']),
  events: list(storedEvent),
});

export const CONSISTENCY_PROOF = object({
  kind: { type: 'string', enum: ['consistency'] }, from: string(), to: string(), fromSize: { type: 'integer' }, toSize: { type: 'integer' }, proof: strings,
});
