import { runCli } from '../../apps/ledger-cli/src/ledger-cli';
import type { TestLedger } from './test-ledger';

/** Runs `ledger …` in-process, as an operator would from a terminal that is not one, and collects what it prints. */
export async function ledgerCommand(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), interactive: false, env: {} });
  return { code, out, err };
}

/** An indirect provider (adatum) with an authorized reseller (fabrikam) invites customer contoso through it. */
export async function inviteThroughReseller(ledger: TestLedger): Promise<void> {
  await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
  await ledger.command('/partners', { partnerId: 'fabrikam', name: 'Fabrikam', program: 'indirect-reseller', cloud: 'global' }).expect(201);
  await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, { actor: 'partner:adatum' }).expect(201);
  await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
  await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' },
    { actor: 'partner:adatum' }).expect(201);
}
