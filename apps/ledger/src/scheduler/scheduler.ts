import { type CommandInput, CommandRefused, type CustomerCommand, type Deadline } from '@ledger/domain';
import { deadlines, type ReadSide } from '@ledger/read-models';
import type { Clock } from '../clock';
import type { CommandEnvelope } from '../commands/command-runner';
import type { LedgerCommands } from '../commands/submit-command';
import { PeriodicJob } from '../operations/periodic-job';

export interface SchedulerRun {
  readonly recorded: number;
  readonly alreadyRecorded: number;
  readonly refused: number;
  /** Facts that could not be recorded this run (reported to onFailure); the next run tries them again. */
  readonly failed: number;
}

/** The ledger's own client: no credential can call itself so (RESERVED_CLIENTS), so no caller can use its command ids. */
const SCHEDULER: Pick<CommandEnvelope, 'actor' | 'client' | 'credential'> = {
  actor: { kind: 'system', id: 'scheduler' }, client: 'scheduler', credential: { type: 'ledger', client: 'scheduler' },
};

function commandFor(deadline: Deadline): CommandInput<CustomerCommand> {
  const { customerId, refId } = deadline;
  switch (deadline.kind) {
    case 'license-term-end':
      return { type: 'EndLicenseTerm', data: { customerId, subscriptionId: refId } };
    case 'grant-expiry':
      return { type: 'ExpireDelegatedAdmin', data: { customerId, grantId: refId } };
    case 'invitation-expiry':
      return { type: 'ExpireInvitation', data: { customerId, invitationId: refId } };
    case 'gdap-request-expiry':
      return { type: 'ExpireGdapRequest', data: { customerId, gdapId: refId } };
    case 'gdap-term-end':
      return { type: 'EndGdapTerm', data: { customerId, gdapId: refId } };
    case 'transfer-expiry':
      return { type: 'ExpireTransfer', data: { customerId, transferId: refId } };
  }
}

/**
 * The ledger's own scheduler: records term ends, expiries and GDAP auto-extensions once their time has come on the ledger's clock,
 * catching up on whatever fell due while the service was down. Each fact's command id is derived from the
 * fact itself, so two replicas (or two runs) that both see it due produce the same event ids at the same
 * expected revision: the second is answered as a retry and records nothing. One fact that cannot be recorded
 * does not hold up the others: it is reported and tried again on the next run.
 */
export class Scheduler {
  private readonly job: PeriodicJob<SchedulerRun>;

  constructor(
    private readonly readSide: ReadSide,
    /** The command bus's front: the scheduler's commands take the same path, and are counted, like every other. */
    private readonly commands: Pick<LedgerCommands, 'customer'>,
    private readonly clock: Clock,
    private readonly options: {
      intervalMs: number;
      batchSize?: number;
      onError?: (error: unknown) => void;
      /** A fact the run could not record, and why. */
      onFailure?: (deadline: Deadline, error: unknown) => void;
    },
  ) {
    this.job = new PeriodicJob(() => this.record(), options);
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Records every fact due now that the read models know of; one run at a time. */
  runOnce(): Promise<SchedulerRun> {
    return this.job.runOnce();
  }

  private async record(): Promise<SchedulerRun> {
    const now = this.clock.now().toISOString();
    const run = { recorded: 0, alreadyRecorded: 0, refused: 0, failed: 0 };
    for (const deadline of this.readSide.query(deadlines).due(now, this.options.batchSize ?? 1000)) {
      const commandId = `scheduler:${deadline.kind}:${deadline.customerId}:${deadline.refId}:${deadline.dueAt}`;
      try {
        const result = await this.commands.customer(commandFor(deadline), { ...SCHEDULER, commandId, correlationId: commandId });
        if (result.replayed) run.alreadyRecorded += 1;
        else run.recorded += 1;
      } catch (error) {
        // Ended otherwise meanwhile (revoked, accepted, cancelled…): the refusal is kept, nothing is recorded.
        if (error instanceof CommandRefused) {
          run.refused += 1;
          continue;
        }
        run.failed += 1;
        this.options.onFailure?.(deadline, error);
      }
    }
    return run;
  }
}
