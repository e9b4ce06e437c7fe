/** A command the ledger refused: kept for auditors, apart from the customers' and partners' streams. */
export interface RefusalRecord {
  readonly commandId: string;
  /** A digest of the command as the caller sent it: a retry with the same id must send the same command. */
  readonly commandHash: string;
  readonly commandType: string;
  readonly stream: string;
  readonly code: string;
  readonly category: string;
  readonly message: string;
  readonly actor: { readonly kind: string; readonly id: string };
  readonly client: string;
  readonly correlationId: string;
  readonly recordedAt: string;
  readonly command: unknown;
}

export interface StoredRefusal extends RefusalRecord {
  /** Order of recording, from 1. */
  readonly sequence: bigint;
}

export abstract class RefusalLog {
  /** Records a refusal; a second refusal with the same client and command id keeps the first. */
  abstract record(refusal: RefusalRecord): Promise<void>;

  /** The refusal of one client's command id: command ids are the client's own, not shared between clients. */
  abstract find(client: string, commandId: string): Promise<StoredRefusal | undefined>;

  /** Refusals after a sequence number, oldest first. */
  abstract list(options: { after?: bigint; limit: number }): Promise<StoredRefusal[]>;

  abstract close(): Promise<void>;
}

/** Copies every refusal, oldest first, into another refusal log (which keeps the first of each: a rerun adds nothing). */
export async function copyRefusals(from: RefusalLog, to: RefusalLog, pageSize = 1000): Promise<number> {
  let copied = 0;
  let after: bigint | undefined;
  for (let page = await from.list({ limit: pageSize }); page.length > 0; page = await from.list({ after, limit: pageSize })) {
    for (const { sequence, ...refusal } of page) {
      await to.record(refusal);
      after = sequence;
    }
    copied += page.length;
  }
  return copied;
}
