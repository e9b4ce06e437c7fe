import type { CustomerView, GdapRelationshipView, SubscriptionView } from '@ledger/domain';

/** The lane of what concerns the customer alone (its registration, a subscription bought without a partner). */
export const CUSTOMER_LANE = '(customer)';

export const BAR_KINDS = ['reseller relationship', 'linked reseller', 'delegated admin', 'GDAP', 'partner of record'] as const;
export type BarKind = (typeof BAR_KINDS)[number];

/** A span of time a partner held something for the customer. */
export interface Bar {
  readonly lane: string;
  readonly kind: BarKind;
  /** What it was: the relationship, grant or subscription and its roles. */
  readonly label: string;
  readonly from: string;
  /** When it ended or ends (a grant's end date still ahead), or null while it lasts without one. */
  readonly to: string | null;
  /** How it ended, or `in force`. */
  readonly ending: string;
  /** The events that began and ended it. */
  readonly eventIds: readonly string[];
}

/** An event as the customer's history gives it. */
export interface HistoryEvent {
  readonly id: string;
  readonly position: string;
  readonly revision: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly policy: string;
}

/** A refused command as the refusal log gives it. */
export interface Refusal {
  readonly sequence: string;
  readonly commandType: string;
  readonly stream: string;
  readonly code: string;
  readonly message: string;
  readonly actor: { readonly kind: string; readonly id: string };
  readonly client: string;
  readonly recordedAt: string;
  readonly command: unknown;
}

/** A point on the timeline: an event recorded, or a command refused. */
export interface Marker {
  readonly lane: string;
  readonly at: string;
  /** The event's type, or the refused command's. */
  readonly type: string;
  readonly actor: string;
  readonly client: string;
  /** The event's id; for a refusal, the rule that refused it. */
  readonly ref: string;
  readonly refused: boolean;
}

export interface Timeline {
  /** The partners' lanes in the order they first appear, the customer's own lane first when used. */
  readonly lanes: readonly string[];
  readonly bars: readonly Bar[];
  readonly markers: readonly Marker[];
  /** From the customer's registration to the latest moment anything reaches (at least `now`). */
  readonly start: string;
  readonly end: string;
}

const PARTNER_FIELDS = ['partnerId', 'targetPartnerId', 'toPartnerId', 'partnerOfRecordId'] as const;

function actorName(metadata: Readonly<Record<string, unknown>>): string {
  const actor = metadata.actor as { kind?: string; id?: string } | undefined;
  return actor?.kind ? `${actor.kind}:${actor.id ?? ''}` : 'unknown';
}

/**
 * The partner an event or a refused command concerns: the partner it names, else that of the thing it names
 * (for a subscription, its partner of record as the event left it).
 */
function laneOf(view: CustomerView, data: unknown, eventId?: string): string {
  if (typeof data !== 'object' || data === null) return CUSTOMER_LANE;
  const fields = data as Record<string, unknown>;
  for (const field of PARTNER_FIELDS) if (typeof fields[field] === 'string') return fields[field] as string;
  if (typeof fields.invitationId === 'string') return view.invitations[fields.invitationId]?.partnerId ?? CUSTOMER_LANE;
  if (typeof fields.subscriptionId === 'string') {
    const subscription = view.subscriptions[fields.subscriptionId];
    const move = subscription?.history.find((m) => m.eventId === eventId);
    return (move ? move.partnerOfRecordId : subscription?.partnerOfRecordId) ?? CUSTOMER_LANE;
  }
  return CUSTOMER_LANE;
}

function gdapBar(g: GdapRelationshipView): Bar | undefined {
  const began = g.steps.find((s) => s.type === 'GdapRelationshipApproved' || s.type === 'GdapRelationshipEstablished');
  if (!began) return undefined;
  const ended = g.steps.find((s) => s.type === 'GdapRelationshipTerminated' || s.type === 'GdapRelationshipExpired');
  return {
    lane: g.partnerId, kind: 'GDAP', label: `GDAP ${g.gdapId} (${g.roles.join(', ')})`, from: began.at, to: ended?.at ?? g.endsAt,
    ending: ended ? g.status : g.autoExtend ? 'in force, extends itself' : 'in force', eventIds: [began.eventId, ...(ended ? [ended.eventId] : [])],
  };
}

/** Each stretch of a subscription under one partner of record, from its moves. */
function partnerOfRecordBars(s: SubscriptionView): Bar[] {
  const bars: Bar[] = [];
  s.history.forEach((move, i) => {
    const next = s.history.slice(i + 1).find((later) => later.partnerOfRecordId !== move.partnerOfRecordId || later.type === 'SubscriptionCancelled');
    const previous = s.history[i - 1];
    if (!move.partnerOfRecordId || move.type === 'SubscriptionCancelled') return;
    if (previous && previous.partnerOfRecordId === move.partnerOfRecordId && previous.type !== 'SubscriptionCancelled') return;
    bars.push({
      lane: move.partnerOfRecordId, kind: 'partner of record', label: `subscription ${s.subscriptionId} (${s.kind})`, from: move.at, to: next?.at ?? null,
      ending: next ? (next.type === 'SubscriptionCancelled' ? 'cancelled' : `moved: ${next.type}`) : s.status === 'active' ? 'in force' : s.status,
      eventIds: [move.eventId, ...(next ? [next.eventId] : [])],
    });
  });
  return bars;
}

/**
 * The customer's timeline: what each partner held and when, from the customer's view (whose facts keep when
 * they began and ended), and a marker for each event of its history and each command refused on its stream.
 * Presentation only: which rights these give is the API's answer (support rights, as of a moment).
 */
export function timelineOf(view: CustomerView, history: readonly HistoryEvent[], refusals: readonly Refusal[], now: string): Timeline {
  const bars: Bar[] = [];
  for (const r of Object.values(view.relationships)) {
    const ending = r.status === 'terminated' ? 'terminated' : 'in force';
    const eventIds = [r.acceptedBy, ...(r.endedBy ? [r.endedBy] : [])];
    bars.push({ lane: r.partnerId, kind: 'reseller relationship', label: `relationship ${r.relationshipId}`, from: r.acceptedAt, to: r.endedAt, ending, eventIds });
    if (r.resellerId) {
      bars.push({ lane: r.resellerId, kind: 'linked reseller', label: `relationship ${r.relationshipId} of ${r.partnerId}`, from: r.acceptedAt, to: r.endedAt, ending, eventIds });
    }
  }
  for (const g of Object.values(view.grants)) {
    const ended = g.endedAt !== null && g.endedAt < g.endsAt ? g.endedAt : g.endsAt;
    bars.push({
      lane: g.partnerId, kind: 'delegated admin', label: `grant ${g.grantId} (${g.roles.join(', ')})`, from: g.grantedAt, to: ended,
      ending: g.status === 'active' ? (g.endsAt <= now ? 'past its end' : 'in force') : g.status, eventIds: [g.grantedBy, ...(g.endedBy ? [g.endedBy] : [])],
    });
  }
  for (const g of Object.values(view.gdapRelationships)) {
    const bar = gdapBar(g);
    if (bar) bars.push(bar);
  }
  for (const s of Object.values(view.subscriptions)) bars.push(...partnerOfRecordBars(s));

  const markers: Marker[] = [
    ...history.map((event) => ({
      lane: laneOf(view, event.data, event.id), at: String(event.metadata.recordedAt), type: event.type, actor: actorName(event.metadata),
      client: String(event.metadata.client ?? ''), ref: event.id, refused: false,
    })),
    ...refusals.map((refusal) => ({
      lane: laneOf(view, refusal.command), at: refusal.recordedAt, type: refusal.commandType, actor: `${refusal.actor.kind}:${refusal.actor.id}`,
      client: refusal.client, ref: refusal.code, refused: true,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  const lanes = [...new Set([...markers.map((m) => m.lane), ...bars.map((b) => b.lane)])]
    .sort((a, b) => (a === CUSTOMER_LANE ? -1 : b === CUSTOMER_LANE ? 1 : 0));
  const ends = [now, ...bars.map((b) => b.to ?? now), ...markers.map((m) => m.at)].sort();
  return { lanes, bars, markers, start: view.registeredAt, end: ends[ends.length - 1] };
}

/** The moments the rights may have changed: each event and each end a bar reaches, in order, within the timeline. */
export function momentsOf(timeline: Timeline): string[] {
  const moments = [...timeline.markers.filter((m) => !m.refused).map((m) => m.at), ...timeline.bars.flatMap((b) => (b.to ? [b.to] : []))];
  return [...new Set(moments)].filter((at) => at >= timeline.start && at <= timeline.end).sort();
}
