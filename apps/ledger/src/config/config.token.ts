/** Injection token of the LedgerConfig. */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
