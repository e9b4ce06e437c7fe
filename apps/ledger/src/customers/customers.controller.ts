import { Body } from '@nestjs/common';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandController, CommandEndpoint } from '../commands/command-controller.decorator';
import type { CommandEnvelope } from '../commands/command-runner';
import { LedgerCommands } from '../commands/submit-command';
import { EmptyBodyPipe, PathId } from '../http/ledger-id.pipe';
import { RecordSubscriptionDto } from './record-subscription.dto';
import { RegisterCustomerDto } from './register-customer.dto';
import { SwitchSubscriptionDto } from './switch-subscription.dto';

@CommandController('customers', 'customers and subscriptions')
export class CustomersController {
  constructor(private readonly commands: LedgerCommands) {}

  @CommandEndpoint('', 'Register a customer tenant in its cloud')
  register(@Body() body: RegisterCustomerDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer(body.toCommand(), envelope);
  }

  @CommandEndpoint(':customerId/subscriptions', 'Record a subscription, its channel and, for CSP, its partner of record (MC-13)')
  recordSubscription(
    @PathId('customerId') customerId: string,
    @Body() body: RecordSubscriptionDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId), envelope);
  }

  @CommandEndpoint(':customerId/subscriptions/:subscriptionId/switch', 'Switch a subscription to another CSP partner (MC-09 … MC-12)')
  switchSubscription(
    @PathId('customerId') customerId: string,
    @PathId('subscriptionId') subscriptionId: string,
    @Body() body: SwitchSubscriptionDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId, subscriptionId), envelope);
  }

  @CommandEndpoint(':customerId/subscriptions/:subscriptionId/cancellation', 'Cancel a subscription')
  cancelSubscription(
    @PathId('customerId') customerId: string,
    @PathId('subscriptionId') subscriptionId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'CancelSubscription', data: { customerId, subscriptionId } }, envelope);
  }

  @CommandEndpoint(':customerId/subscriptions/:subscriptionId/term-end', 'Record that a license term ended (the system, at or after its end date; MC-14)')
  endLicenseTerm(
    @PathId('customerId') customerId: string,
    @PathId('subscriptionId') subscriptionId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'EndLicenseTerm', data: { customerId, subscriptionId } }, envelope);
  }
}
