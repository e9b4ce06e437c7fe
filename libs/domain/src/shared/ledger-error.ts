/**
 * How a refusal is classified; the HTTP layer maps each category to one status code.
 * - `rule`: a multichannel rule (MC-xx) forbids the command.
 * - `not-found`: the command names a party or resource the ledger does not know.
 * - `conflict`: the resource already exists or is no longer in a state the command applies to.
 * - `forbidden`: the actor may not issue this command.
 * - `invalid`: the command's data is inconsistent in a way validation at the edge cannot see.
 */
export type RefusalCategory = 'rule' | 'not-found' | 'conflict' | 'forbidden' | 'invalid';

/** A command refused by the domain: a stable code (the rule id where a rule applies) and a sentence for people. */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';

  constructor(
    readonly code: string,
    readonly category: RefusalCategory,
    message: string,
    /** The version of the rules the command was decided under (see policy.ts), once the runner knows it. */
    readonly policy?: string,
  ) {
    super(message);
  }

  /** The same refusal, naming the version of the rules it was decided under. */
  underPolicy(version: string): CommandRefused {
    return new CommandRefused(this.code, this.category, this.message, version);
  }
}

export type RuleId = `MC-${string}`;

export function ruleBroken(rule: RuleId, message: string): CommandRefused {
  return new CommandRefused(rule, 'rule', `${message} (${rule})`);
}

/** Refuses with `rule` unless `condition` holds. */
export function enforce(condition: unknown, rule: RuleId, message: string): asserts condition {
  if (!condition) throw ruleBroken(rule, message);
}

export function refuse(code: string, category: RefusalCategory, message: string): never {
  throw new CommandRefused(code, category, message);
}
