/** Builds the web page (apps/ledger-ui) into `outdir` (default dist/apps/ledger-ui); resolves to the folder. */
export function buildUi(outdir?: string): Promise<string>;
export const DEFAULT_OUT: string;
