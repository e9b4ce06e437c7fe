import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.guard';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandHeaders } from '../commands/command-headers.decorator';
import { CommandAccepted, CommandResultInterceptor } from '../commands/command-result.interceptor';
import type { CommandEnvelope } from '../commands/command-runner';
import { LedgerCommands } from '../commands/submit-command';
import { EmptyBodyPipe, LedgerIdPipe } from '../http/ledger-id.pipe';
import { RecordSubscriptionDto } from './record-subscription/record-subscription.dto';
import { RegisterCustomerDto } from './register-customer/register-customer.dto';
import { SwitchSubscriptionDto } from './switch-subscription/switch-subscription.dto';

@ApiTags('customers and subscriptions')
@ApiBearerAuth()
@CommandHeaders()
@RequireScope('write')
@UseInterceptors(CommandResultInterceptor)
@Controller('customers')
export class CustomersController {
  constructor(private readonly commands: LedgerCommands) {}

  @Post()
  @ApiOperation({ summary: 'Register a customer tenant in its cloud' })
  @ApiCreatedResponse({ type: CommandAccepted })
  register(@Body() body: RegisterCustomerDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer(body.toCommand(), envelope);
  }

  @Post(':customerId/subscriptions')
  @ApiOperation({ summary: 'Record a subscription, its channel and, for CSP, its partner of record (MC-13)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  recordSubscription(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Body() body: RecordSubscriptionDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId), envelope);
  }

  @Post(':customerId/subscriptions/:subscriptionId/switch')
  @ApiOperation({ summary: 'Switch a subscription to another CSP partner (MC-09 … MC-12)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  switchSubscription(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('subscriptionId', LedgerIdPipe) subscriptionId: string,
    @Body() body: SwitchSubscriptionDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId, subscriptionId), envelope);
  }

  @Post(':customerId/subscriptions/:subscriptionId/cancellation')
  @ApiOperation({ summary: 'Cancel a subscription' })
  @ApiCreatedResponse({ type: CommandAccepted })
  cancelSubscription(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('subscriptionId', LedgerIdPipe) subscriptionId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'CancelSubscription', data: { customerId, subscriptionId } }, envelope);
  }

  @Post(':customerId/subscriptions/:subscriptionId/term-end')
  @ApiOperation({ summary: 'Record that a license term ended (the system, at or after its end date; MC-14)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  endLicenseTerm(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('subscriptionId', LedgerIdPipe) subscriptionId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'EndLicenseTerm', data: { customerId, subscriptionId } }, envelope);
  }
}
