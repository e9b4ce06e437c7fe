import request from 'supertest';
import { TestLedger } from './support/test-ledger';

describe('operations under a store fault', () => {
  it('keeps /metrics answering, with the lag it cannot measure as NaN, while the event store does not answer', async () => {
    const ledger = await TestLedger.start();
    try {
      await ledger.command('/partners', { partnerId: 'northwind', name: 'N', program: 'direct-bill', cloud: 'global' }).expect(201);
      await ledger.store.close();
      const scrape = await request(ledger.app.getHttpServer()).get('/metrics').expect(200);
      // prom-client writes NaN as "Nan"; Prometheus parses either.
      expect(scrape.text).toMatch(/^ledger_projector_lag_events NaN$/im);
      expect(scrape.text).toMatch(/^ledger_commands_total\{command="EnrollPartner",outcome="accepted"\} 1$/m);
    } finally {
      await ledger.close();
    }
  });
});
