import type { RuleId } from '../shared/ledger-error';
import { isBefore } from '../shared/time';
import { isGdapInForce, isGrantInForce } from '../customer/customer.state';
import type { CustomerView, GdapRelationshipView, GrantView, RelationshipView } from './customer-view';

export const RIGHTS = ['transact', 'provision', 'support', 'administer'] as const;
export type Right = (typeof RIGHTS)[number];

/** Why a right is held (or not): the rule that gives or withholds it, and the events that establish that. */
export interface RightReason {
  readonly rule: RuleId;
  readonly eventIds: readonly string[];
  readonly detail: string;
}

export interface HeldRight {
  readonly right: Right;
  readonly reasons: readonly RightReason[];
  /** For rights that rest only on delegated admin (DAP grants, GDAP access): when the last of them ends. */
  readonly until: string | null;
  /** For `administer`: the roles held, across active grants and GDAP access assignments. */
  readonly roles?: readonly string[];
}

export interface PartnerRights {
  readonly partnerId: string;
  readonly rights: readonly HeldRight[];
}

export interface RightCheck {
  readonly partnerId: string;
  readonly right: Right;
  readonly allowed: boolean;
  readonly reasons: readonly RightReason[];
}

interface Basis {
  readonly owned: RelationshipView[];
  readonly linked: RelationshipView[];
  readonly grants: GrantView[];
  /** GDAP relationships in force in which a security group of the partner has access (MC-19). */
  readonly gdap: GdapRelationshipView[];
}

/** The access assignments that give rights: the active ones of a relationship (MC-19). */
function activeAssignments(relationship: GdapRelationshipView) {
  return Object.values(relationship.assignments).filter((a) => a.status === 'active');
}

/** The roles a relationship's active assignments give, sorted. */
export function gdapAccessRoles(relationship: GdapRelationshipView): string[] {
  return [...new Set(activeAssignments(relationship).flatMap((a) => a.roles))].sort();
}

function basisOf(view: CustomerView, partnerId: string, now: string): Basis {
  const relationships = Object.values(view.relationships).filter((r) => r.status === 'active');
  return {
    owned: relationships.filter((r) => r.partnerId === partnerId),
    linked: relationships.filter((r) => r.resellerId === partnerId),
    grants: Object.values(view.grants).filter((g) => g.partnerId === partnerId && isGrantInForce(g, now)),
    // A partner's own relationships only: a reseller does not inherit its provider's GDAP (MC-21).
    gdap: Object.values(view.gdapRelationships)
      .filter((g) => g.partnerId === partnerId && isGdapInForce(g, now) && activeAssignments(g).length > 0),
  };
}

const ownerReason = (r: RelationshipView): RightReason => ({
  rule: 'MC-05', eventIds: [r.acceptedBy], detail: `owns reseller relationship ${r.relationshipId}`,
});
const linkedReason = (r: RelationshipView): RightReason => ({
  rule: 'MC-05', eventIds: [r.acceptedBy], detail: `is the indirect reseller linked to relationship ${r.relationshipId} of ${r.partnerId}`,
});
const grantReason = (g: GrantView): RightReason => ({
  rule: 'MC-07', eventIds: [g.grantedBy], detail: `holds delegated admin grant ${g.grantId} (${g.roles.join(', ')}) until ${g.endsAt}`,
});

const gdapReason = (g: GdapRelationshipView): RightReason => {
  const assignments = activeAssignments(g);
  const activation = g.steps.find((step) => step.type === 'GdapRelationshipApproved' || step.type === 'GdapRelationshipEstablished');
  const assigned = g.steps.filter((step) => step.type === 'GdapAccessAssigned' && assignments.some((a) => a.assignmentId === step.assignmentId));
  return {
    rule: 'MC-19',
    eventIds: [activation, ...assigned].flatMap((step) => (step ? [step.eventId] : [])),
    detail: `holds GDAP relationship ${g.gdapId} until ${g.endsAt}, with access for security groups ` +
      `${assignments.map((a) => `${a.securityGroupId} (${a.roles.join(', ')})`).join(', ')}`,
  };
};

function latestEnd(ends: ReadonlyArray<string | null>): string | null {
  return ends.reduce<string | null>((latest, end) => (end !== null && (latest === null || isBefore(latest, end)) ? end : latest), null);
}

/**
 * Which of a partner's links to a customer give which right: the one copy of this rule, used by the checks
 * here and by the read side's per-partner index. The order of the roles is the order reasons are listed in.
 */
export const ROLES_GIVING_RIGHT: Readonly<Record<Right, readonly LinkRole[]>> = {
  transact: ['owner'],
  provision: ['owner', 'delegated-admin', 'gdap-access'],
  support: ['owner', 'delegated-admin', 'gdap-access', 'linked-reseller'],
  administer: ['delegated-admin', 'gdap-access'],
};

/** Links that last only until their end date. */
const TIME_BOUND: readonly LinkRole[] = ['delegated-admin', 'gdap-access'];

function rightsFrom(basis: Basis): HeldRight[] {
  const reasons: Record<LinkRole, RightReason[]> = {
    owner: basis.owned.map(ownerReason),
    'delegated-admin': basis.grants.map(grantReason),
    'gdap-access': basis.gdap.map(gdapReason),
    'linked-reseller': basis.linked.map(linkedReason),
  };
  const rights: HeldRight[] = [];
  for (const right of RIGHTS) {
    const roles = ROLES_GIVING_RIGHT[right];
    const held = roles.flatMap((role) => reasons[role]);
    if (held.length === 0) continue;
    // A right resting only on delegated admin lasts as long as the last grant or GDAP relationship giving it.
    const lasting = roles.some((role) => !TIME_BOUND.includes(role) && reasons[role].length > 0);
    const until = lasting ? null : latestEnd([...basis.grants.map((g) => g.endsAt), ...basis.gdap.map((g) => g.endsAt)]);
    const administered = [...basis.grants.flatMap((g) => g.roles), ...basis.gdap.flatMap(gdapAccessRoles)];
    rights.push(right === 'administer' ? { right, reasons: held, until, roles: [...new Set(administered)].sort() } : { right, reasons: held, until });
  }
  return rights;
}

/** The partners named anywhere in the customer's relationships and grants. */
function partnersOf(view: CustomerView): string[] {
  const ids = new Set<string>();
  for (const r of Object.values(view.relationships)) {
    ids.add(r.partnerId);
    if (r.resellerId) ids.add(r.resellerId);
  }
  for (const g of Object.values(view.grants)) ids.add(g.partnerId);
  for (const g of Object.values(view.gdapRelationships)) ids.add(g.partnerId);
  return [...ids].sort();
}

/**
 * What each partner may do for this customer at `now`, and why: `transact` (owner of an active reseller
 * relationship), `provision` (owner, or holder of delegated admin in force), `support` (those, or the
 * indirect reseller linked to an active relationship), `administer` (delegated admin in force, with its
 * roles and end). Partners whose relationships and grants all ended hold nothing (MC-15) and are left out.
 */
export function supportRights(view: CustomerView, now: string): PartnerRights[] {
  return partnersOf(view)
    .map((partnerId) => ({ partnerId, rights: rightsFrom(basisOf(view, partnerId, now)) }))
    .filter((entry) => entry.rights.length > 0);
}

/** May `partnerId` do `right` for this customer at `now`? With the reasons either way. */
export function checkRight(view: CustomerView, partnerId: string, right: Right, now: string): RightCheck {
  const held = rightsFrom(basisOf(view, partnerId, now)).find((r) => r.right === right);
  if (held) return { partnerId, right, allowed: true, reasons: held.reasons };
  return { partnerId, right, allowed: false, reasons: whyNot(view, partnerId, right, now) };
}

function whyNot(view: CustomerView, partnerId: string, right: Right, now: string): RightReason[] {
  const reasons: RightReason[] = [];
  for (const r of Object.values(view.relationships)) {
    if (r.status === 'terminated' && (r.partnerId === partnerId || r.resellerId === partnerId)) {
      reasons.push({ rule: 'MC-15', eventIds: [r.acceptedBy, r.endedBy ?? ''].filter(Boolean),
        detail: `relationship ${r.relationshipId} was terminated at ${r.endedAt}; it gives no rights since` });
    }
  }
  for (const g of Object.values(view.grants)) {
    if (g.partnerId !== partnerId || isGrantInForce(g, now)) continue;
    const ended = g.status === 'active' ? `ended at ${g.endsAt}` : `was ${g.status} at ${g.endedAt}`;
    reasons.push({ rule: 'MC-15', eventIds: [g.grantedBy, g.endedBy ?? ''].filter(Boolean),
      detail: `delegated admin grant ${g.grantId} ${ended}; it gives no rights since` });
  }
  for (const g of Object.values(view.gdapRelationships)) {
    if (g.partnerId !== partnerId || g.endsAt === null) continue;
    const ended = g.steps.find((step) => step.type === 'GdapRelationshipTerminated' || step.type === 'GdapRelationshipExpired');
    if (!isGdapInForce(g, now)) {
      reasons.push({ rule: 'MC-18', eventIds: ended ? [ended.eventId] : [],
        detail: `GDAP relationship ${g.gdapId} ${ended ? `was ${g.status} at ${ended.at}` : `ended at ${g.endsAt}`}; it gives no rights since` });
    } else if (activeAssignments(g).length === 0) {
      reasons.push({ rule: 'MC-19', eventIds: [],
        detail: `GDAP relationship ${g.gdapId} is in force, but no security group of the partner has access through it` });
    }
  }
  const basis = basisOf(view, partnerId, now);
  for (const r of basis.linked) {
    if (right === 'support' || basisOf(view, r.partnerId, now).gdap.length === 0) continue;
    reasons.push({ rule: 'MC-21', eventIds: [r.acceptedBy],
      detail: `partner ${partnerId} is linked to relationship ${r.relationshipId} of ${r.partnerId}, whose GDAP it does not inherit` });
  }
  const rule: RuleId = right === 'administer' ? 'MC-07' : 'MC-05';
  const what: Record<Right, string> = {
    transact: 'owns no active reseller relationship with this customer',
    provision: 'owns no active reseller relationship and holds no delegated admin in force',
    support: 'owns or is linked to no active reseller relationship and holds no delegated admin in force',
    administer: 'holds no delegated admin grant in force',
  };
  const related = basis.linked.length > 0 && right !== 'support'
    ? ` (it is only linked to ${basis.linked.map((r) => r.relationshipId).join(', ')} as an indirect reseller, MC-05)` : '';
  reasons.push({ rule, eventIds: basis.linked.map((r) => r.acceptedBy), detail: `partner ${partnerId} ${what[right]}${related}` });
  return reasons;
}

/**
 * How a partner is linked to a customer: owner of a relationship, the reseller linked to one, holder of a
 * delegated admin grant, or of a GDAP relationship in which its security groups have access.
 */
export type LinkRole = 'owner' | 'linked-reseller' | 'delegated-admin' | 'gdap-access';

/** A customer's link to a partner, as the read side indexes it for per-partner questions. */
export interface CustomerLink {
  readonly customerId: string;
  readonly partnerId: string;
  readonly role: LinkRole;
  /** The relationship, grant or GDAP relationship the link rests on. */
  readonly refId: string;
  /** The owner of the relationship (for a linked reseller: its provider). */
  readonly ownerId: string | null;
  /** For delegated admin and GDAP: when it ends (judged against the clock when queried). */
  readonly endsAt: string | null;
  readonly roles: readonly string[] | null;
}

/** The links of the customer's active relationships, grants and GDAP access: what per-partner queries search. */
export function customerLinks(view: CustomerView): CustomerLink[] {
  const links: CustomerLink[] = [];
  const { customerId } = view;
  for (const r of Object.values(view.relationships)) {
    if (r.status !== 'active') continue;
    links.push({ customerId, partnerId: r.partnerId, role: 'owner', refId: r.relationshipId, ownerId: r.partnerId, endsAt: null, roles: null });
    if (r.resellerId) {
      links.push({ customerId, partnerId: r.resellerId, role: 'linked-reseller', refId: r.relationshipId, ownerId: r.partnerId, endsAt: null, roles: null });
    }
  }
  for (const g of Object.values(view.grants)) {
    if (g.status !== 'active') continue;
    links.push({ customerId, partnerId: g.partnerId, role: 'delegated-admin', refId: g.grantId, ownerId: null, endsAt: g.endsAt, roles: g.roles });
  }
  for (const g of Object.values(view.gdapRelationships)) {
    const roles = gdapAccessRoles(g);
    if (g.status !== 'active' || roles.length === 0) continue;
    links.push({ customerId, partnerId: g.partnerId, role: 'gdap-access', refId: g.gdapId, ownerId: null, endsAt: g.endsAt, roles });
  }
  return links;
}
