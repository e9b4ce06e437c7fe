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
import type { RequestGdapRelationship } from './commands/request-gdap-relationship';
import type { ApproveGdapRelationship } from './commands/approve-gdap-relationship';
import type { EstablishGdapRelationship } from './commands/establish-gdap-relationship';
import type { ExpireGdapRequest } from './commands/expire-gdap-request';
import type { SetGdapAutoExtend } from './commands/set-gdap-auto-extend';
import type { EndGdapTerm } from './commands/end-gdap-term';
import type { TerminateGdapRelationship } from './commands/terminate-gdap-relationship';
import type { AssignGdapAccess } from './commands/assign-gdap-access';
import type { RemoveGdapAccess } from './commands/remove-gdap-access';
import type { RequestTransfer } from './commands/request-transfer';
import type { ApproveTransfer } from './commands/approve-transfer';
import type { RejectTransfer, CancelTransfer, ExpireTransfer } from './commands/end-transfer';

export type {
  AcceptInvitation, CancelSubscription, CreateInvitation, EndLicenseTerm, ExpireDelegatedAdmin, ExpireInvitation, GrantDelegatedAdmin,
  RecordSubscription, RegisterCustomer, RevokeDelegatedAdmin, RevokeInvitation, SwitchSubscription, TerminateRelationship,
  RequestGdapRelationship, ApproveGdapRelationship, EstablishGdapRelationship, ExpireGdapRequest, SetGdapAutoExtend, EndGdapTerm, TerminateGdapRelationship,
  AssignGdapAccess, RemoveGdapAccess, RequestTransfer, ApproveTransfer, RejectTransfer, CancelTransfer, ExpireTransfer,
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
  | ExpireDelegatedAdmin
  | RequestGdapRelationship
  | ApproveGdapRelationship
  | EstablishGdapRelationship
  | ExpireGdapRequest
  | SetGdapAutoExtend
  | EndGdapTerm
  | TerminateGdapRelationship
  | AssignGdapAccess
  | RemoveGdapAccess
  | RequestTransfer
  | ApproveTransfer
  | RejectTransfer
  | CancelTransfer
  | ExpireTransfer;
