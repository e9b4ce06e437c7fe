import { Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type CommandInput,
  CommandRefused,
  type CustomerCommand,
  customerDecider,
  type Decider,
  type LedgerEvent,
  type PartnerCommand,
  partnerDecider,
} from '@ledger/domain';
import { LedgerMetrics } from '../operations/metrics';
import { type CommandEnvelope, type CommandResult, CommandRunner } from './command-runner';

/** The bus message for every ledger command: which decider, the command, and its envelope. */
export class SubmitCommand extends Command<CommandResult> {
  constructor(
    readonly decider: Decider<never, LedgerEvent, unknown>,
    readonly input: { type: string; data: unknown },
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}

@CommandHandler(SubmitCommand)
export class SubmitCommandHandler implements ICommandHandler<SubmitCommand, CommandResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly metrics: LedgerMetrics,
  ) {}

  async execute({ decider, input, envelope }: SubmitCommand): Promise<CommandResult> {
    try {
      const result = await this.runner.run(decider, input as never, envelope);
      this.metrics.commands.inc({ command: input.type, outcome: result.replayed ? 'replayed' : 'accepted' });
      return result;
    } catch (error) {
      const refused = error instanceof CommandRefused;
      this.metrics.commands.inc({ command: input.type, outcome: refused ? 'refused' : 'failed' });
      if (refused) this.metrics.refusals.inc({ code: error.code });
      throw error;
    }
  }
}

/** What controllers call: a typed front for the command bus. */
@Injectable()
export class LedgerCommands {
  constructor(private readonly bus: CommandBus) {}

  partner(input: CommandInput<PartnerCommand>, envelope: CommandEnvelope): Promise<CommandResult> {
    return this.bus.execute(new SubmitCommand(partnerDecider as Decider<never, LedgerEvent, unknown>, input, envelope));
  }

  customer(input: CommandInput<CustomerCommand>, envelope: CommandEnvelope): Promise<CommandResult> {
    return this.bus.execute(new SubmitCommand(customerDecider as Decider<never, LedgerEvent, unknown>, input, envelope));
  }
}
