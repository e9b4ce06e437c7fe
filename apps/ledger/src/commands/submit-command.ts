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

/** A customer command on the bus: any of the customer aggregate's commands (its module in the domain decides it). */
export class SubmitCustomerCommand extends Command<CommandResult> {
  constructor(readonly input: CommandInput<CustomerCommand>, readonly envelope: CommandEnvelope) {
    super();
  }
}

/** A partner command on the bus. */
export class SubmitPartnerCommand extends Command<CommandResult> {
  constructor(readonly input: CommandInput<PartnerCommand>, readonly envelope: CommandEnvelope) {
    super();
  }
}

/** Runs a command through the runner and counts its outcome: what every handler on the bus does. */
@Injectable()
export class MeteredRunner {
  constructor(
    private readonly runner: CommandRunner,
    private readonly metrics: LedgerMetrics,
  ) {}

  async run<C extends { type: string; data: unknown }, S>(
    decider: Decider<C, LedgerEvent, S>,
    input: CommandInput<C>,
    envelope: CommandEnvelope,
  ): Promise<CommandResult> {
    try {
      const result = await this.runner.run(decider, input, envelope);
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

@CommandHandler(SubmitCustomerCommand)
export class SubmitCustomerCommandHandler implements ICommandHandler<SubmitCustomerCommand, CommandResult> {
  constructor(private readonly runner: MeteredRunner) {}

  execute({ input, envelope }: SubmitCustomerCommand): Promise<CommandResult> {
    return this.runner.run(customerDecider, input, envelope);
  }
}

@CommandHandler(SubmitPartnerCommand)
export class SubmitPartnerCommandHandler implements ICommandHandler<SubmitPartnerCommand, CommandResult> {
  constructor(private readonly runner: MeteredRunner) {}

  execute({ input, envelope }: SubmitPartnerCommand): Promise<CommandResult> {
    return this.runner.run(partnerDecider, input, envelope);
  }
}

/** What controllers and the scheduler call: a typed front for the command bus. */
@Injectable()
export class LedgerCommands {
  constructor(private readonly bus: CommandBus) {}

  partner(input: CommandInput<PartnerCommand>, envelope: CommandEnvelope): Promise<CommandResult> {
    return this.bus.execute(new SubmitPartnerCommand(input, envelope));
  }

  customer(input: CommandInput<CustomerCommand>, envelope: CommandEnvelope): Promise<CommandResult> {
    return this.bus.execute(new SubmitCustomerCommand(input, envelope));
  }
}
