import { refuse, type RuleId } from './ledger-error';
import { isBefore } from './time';

/** Settings of the rules that the operator tunes; the same under every version of the rules. */
export interface PolicySettings {
  /** Days before an unanswered invitation expires (MC-04). */
  readonly invitationTtlDays: number;
  /** The longest delegated admin grant, in days (MC-07). */
  readonly maxDelegatedAdminDays: number;
  /** Days before a partner-led transfer the source partner has not answered expires (MC-23; Microsoft publishes none). */
  readonly transferTtlDays: number;
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = { invitationTtlDays: 90, maxDelegatedAdminDays: 730, transferTtlDays: 30 };

/** One version of the rulebook: the rules in force from its effective date until the next version's. */
export interface PolicyVersion {
  readonly version: string;
  /** When it comes into force, on the ledger's clock (ISO 8601). */
  readonly effectiveFrom: string;
  readonly title: string;
  readonly rules: readonly RuleId[];
}

const MULTICHANNEL_RULES: readonly RuleId[] = [
  'MC-01', 'MC-02', 'MC-03', 'MC-04', 'MC-05', 'MC-06', 'MC-07', 'MC-08', 'MC-09', 'MC-10', 'MC-11', 'MC-12', 'MC-13', 'MC-14', 'MC-15',
];

/**
 * The versions of the rules, oldest first (docs/rules.md gives their dates and sources). A command is decided
 * under the version in force at the ledger's time when it is decided; every event names the version it was
 * decided under. A new version is added here, never edited in place: history decided under an old one stays
 * explained by it.
 */
export const POLICY_VERSIONS: readonly PolicyVersion[] = [
  {
    version: 'multichannel-2019',
    effectiveFrom: '1970-01-01T00:00:00.000Z',
    title: 'Multichannel support as the seeds describe it: reseller relationships, delegated admin (DAP), switches, term ends',
    rules: MULTICHANNEL_RULES,
  },
  {
    version: 'gdap-2023',
    effectiveFrom: '2023-05-22T00:00:00.000Z',
    title: 'Granular delegated admin (GDAP), partner-led transfers of new commerce subscriptions, one relationship per pair, ' +
      '21Vianet only in China',
    rules: [...MULTICHANNEL_RULES, 'MC-16', 'MC-17', 'MC-18', 'MC-19', 'MC-20', 'MC-21', 'MC-22', 'MC-23', 'MC-24', 'MC-25'],
  },
];

/** The rules a decision is made under: the version in force at its time, with the operator's settings. */
export interface PolicyInForce extends PolicySettings {
  readonly version: PolicyVersion;
}

/** The version in force at `at`: the latest whose effective date is not after it. */
export function policyVersionAt(at: string, versions: readonly PolicyVersion[] = POLICY_VERSIONS): PolicyVersion {
  let inForce = versions[0];
  for (const version of versions) if (!isBefore(at, version.effectiveFrom)) inForce = version;
  return inForce;
}

export function policyInForce(settings: PolicySettings, at: string): PolicyInForce {
  return { ...settings, version: policyVersionAt(at) };
}

export function isInForce(policy: PolicyInForce, rule: RuleId): boolean {
  return policy.version.rules.includes(rule);
}

/** Refuses a command that only a later version of the rules knows (`rule` introduces it) with NOT_IN_POLICY. */
export function requireInForce(policy: PolicyInForce, rule: RuleId, what: string): void {
  if (isInForce(policy, rule)) return;
  const from = POLICY_VERSIONS.find((v) => v.rules.includes(rule));
  refuse('NOT_IN_POLICY', 'rule', `${what} (${rule}) ${from ? `is recorded from ${from.effectiveFrom} (policy ${from.version})` : 'is in no policy'}; ` +
    `the policy in force is ${policy.version.version}.`);
}
