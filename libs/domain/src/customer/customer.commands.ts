import type { AcceptInvitation } from './commands/accept-invitation';
import type { CancelSubscription } from './commands/cancel-subscription';
import type { CreateInvitation } from './commands/create-invitation';
import type { EndLicenseTerm } from './commands/end-license-term';
import type { ExpireDelegatedAdmin } from './commands/expire-delegated-admin';
import type { ExpireInvitation } from './commands/expire-invitation';
import type { GrantDelegatedAdmin } from './commands/grant-delegated-admin';
import type { RecordSubscription } from './commands/record-subscription';
import type { RegisterCustomer } from './commands/register-customer';
import type { RevokeDelegatedAdmin } from './commands/revoke-delegated-admin';
import type { RevokeInvitation } from './commands/revoke-invitation';
import type { SwitchSubscription } from './commands/switch-subscription';
import type { TerminateRelationship } from './commands/terminate-relationship';

export type {
  AcceptInvitation, CancelSubscription, CreateInvitation, EndLicenseTerm, ExpireDelegatedAdmin, ExpireInvitation, GrantDelegatedAdmin,
  RecordSubscription, RegisterCustomer, RevokeDelegatedAdmin, RevokeInvitation, SwitchSubscription, TerminateRelationship,
};

export type CustomerCommand =
  | RegisterCustomer
  | RecordSubscription
  | CancelSubscription
  | SwitchSubscription
  | EndLicenseTerm
  | CreateInvitation
  | RevokeInvitation
  | ExpireInvitation
  | AcceptInvitation
  | TerminateRelationship
  | GrantDelegatedAdmin
  | RevokeDelegatedAdmin
  | ExpireDelegatedAdmin;
