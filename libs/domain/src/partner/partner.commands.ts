import type { AuthorizeIndirectReseller } from './commands/authorize-indirect-reseller';
import type { EnrollPartner } from './commands/enroll-partner';
import type { MovePartnerToCsp } from './commands/move-partner-to-csp';

export type { AuthorizeIndirectReseller, EnrollPartner, MovePartnerToCsp };

export type PartnerCommand = EnrollPartner | MovePartnerToCsp | AuthorizeIndirectReseller;
