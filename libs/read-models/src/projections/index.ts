import type { Projection } from '../projection';
import { customerViews } from './customer-views.projection';
import { deadlines } from './deadlines.projection';
import { partnerViews } from './partner-views.projection';

export * from './customer-views.projection';
export * from './deadlines.projection';
export * from './partner-views.projection';

/** The ledger's read models: register a new projection here. */
export const LEDGER_PROJECTIONS: readonly Projection[] = [customerViews, partnerViews, deadlines];
