import { Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type CommandInput,
  type CustomerCommand,
  customerDecider,
  type Decider,
  type LedgerEvent,
  type PartnerCommand,
  partnerDecider,
} from '@ledger/domain';
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
  constructor(private readonly runner: CommandRunner) {}

  execute({ decider, input, envelope }: SubmitCommand): Promise<CommandResult> {
    return this.runner.run(decider, input as never, envelope);
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
