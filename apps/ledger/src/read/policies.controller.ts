import { POLICY_VERSIONS, policyVersionAt, RULES } from '@ledger/domain';
import { Clock } from '../clock';
import { POLICIES } from '../http/answer-schemas';
import { QueryController, QueryEndpoint } from './query-controller.decorator';

@QueryController('policies', 'rules')
export class PoliciesController {
  constructor(private readonly clock: Clock) {}

  @QueryEndpoint('', 'The versions of the rules with their effective dates, and the one in force on the ledger’s clock',
    'A command is decided under the version in force when the ledger decides it; every event and refusal names its version (docs/rules.md).', POLICIES)
  list() {
    const now = this.clock.now().toISOString();
    return {
      evaluatedAt: now,
      inForce: policyVersionAt(now).version,
      versions: POLICY_VERSIONS.map(({ version, effectiveFrom, title, rules }) => ({
        version, effectiveFrom, title, rules: rules.map((id) => ({ id, title: RULES[id] })),
      })),
    };
  }
}
