import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAnswer, ApiProblems, GUARDED } from '../http/api-contract';
import { CHECKPOINT, CHECKPOINT_KEY, CONSISTENCY_PROOF, INCLUSION_PROOF, STREAM_PROOF } from '../http/answer-schemas';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { committedHeads, encodePositionToken, type HeadProof, openCheckpoint, type RecordedCheckpoint, type RecordedEvent } from '@ledger/event-store';
import { Public, RequireScope } from '../auth/auth.guard';
import { ConsistencyQuery, InclusionQuery, StreamProofQuery } from './audit.dto';
import { Transparency } from './transparency';

const base64 = (hashes: readonly Buffer[]) => hashes.map((hash) => hash.toString('base64'));

/** An event as stored, so that its chain hash can be recomputed from its content. */
const eventAnswer = (event: RecordedEvent) => ({
  id: event.id, stream: event.stream, revision: event.revision.toString(), position: encodePositionToken(event.position),
  type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
});

const headAnswer = (at: HeadProof | undefined) => at && {
  index: at.index, head: { stream: at.head.stream, revision: at.head.revision.toString(), hash: at.head.hash }, proof: base64(at.proof),
};

/** Signed checkpoints of the log's Merkle tree, and proofs against them: what an auditor keeps and checks offline. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class CheckpointsController {
  constructor(private readonly transparency: Transparency) {}

  @Get('checkpoint/key')
  @Public()
  @ApiOperation({ summary: 'The log’s origin and the verifier key its checkpoints are signed with (C2SP signed-note form)' })
  @ApiAnswer(200, 'The origin and the key.', CHECKPOINT_KEY)
  @ApiProblems(429)
  key() {
    return { origin: this.transparency.origin, verifierKey: this.transparency.verifierKey };
  }

  @Get('checkpoint')
  @RequireScope('audit')
  @ApiOperation({ summary: 'The latest signed checkpoint: tree size and root hash over the whole log, as a C2SP checkpoint note' })
  @ApiAnswer(200, 'The latest checkpoint.', CHECKPOINT)
  @ApiProblems(...GUARDED, 404)
  async latest() {
    return this.answer(await this.transparency.recorded());
  }

  @Post('checkpoints')
  @HttpCode(201)
  @RequireScope('audit')
  @ApiOperation({ summary: 'Sign a checkpoint of the log as it is now (when it grew since the latest); answers the latest' })
  @ApiAnswer(201, 'The latest checkpoint, signed now or before.', CHECKPOINT)
  @ApiProblems(...GUARDED, 404)
  async record() {
    return this.answer(await this.transparency.checkpoint());
  }

  @Get('proofs/inclusion')
  @RequireScope('audit')
  @ApiOperation({
    summary: 'Proof that an event is in a signed checkpoint’s tree',
    description: 'Save the answer as a file and check it offline: `ledger verify-proof --key <verifier key> <file>`.',
  })
  @ApiAnswer(200, 'The proof.', INCLUSION_PROOF)
  @ApiProblems(...GUARDED, 404)
  async inclusion(@Query() query: InclusionQuery) {
    const { checkpoint, leaf, proof, event } = await this.transparency.inclusion(query.eventId, query.treeSize);
    return {
      kind: 'inclusion', checkpoint: checkpoint.note, treeSize: checkpoint.size, leafIndex: leaf.index,
      leaf: { stream: leaf.stream, revision: leaf.revision.toString(), hash: leaf.hash },
      proof: base64(proof),
      event: eventAnswer(event),
    };
  }

  @Get('proofs/stream')
  @RequireScope('audit')
  @ApiOperation({
    summary: 'Proof that these are all of a stream’s events as of a signed checkpoint (or that it had none)',
    description: 'The stream’s head in the stream heads the checkpoint commits to, and its events, whose hash chain leads to that head. '
      + 'Check it offline: `ledger verify-proof --key <verifier key> <file>`.',
  })
  @ApiAnswer(200, 'The proof.', STREAM_PROOF)
  @ApiProblems(...GUARDED, 404)
  async stream(@Query() query: StreamProofQuery) {
    const { checkpoint, stream, heads, events } = await this.transparency.stream(query.stream, query.treeSize);
    return {
      kind: 'stream', checkpoint: checkpoint.note, treeSize: checkpoint.size, stream,
      heads: { count: heads.count, head: headAnswer(heads.head), before: headAnswer(heads.before), after: headAnswer(heads.after) },
      events: events.map(eventAnswer),
    };
  }

  @Get('proofs/consistency')
  @RequireScope('audit')
  @ApiOperation({
    summary: 'Proof that an older signed checkpoint’s tree is a prefix of a newer one’s: the log only grew between them',
    description: 'Check it offline: `ledger verify-proof --key <verifier key> --old-checkpoint <kept note> <file>`.',
  })
  @ApiAnswer(200, 'The proof.', CONSISTENCY_PROOF)
  @ApiProblems(...GUARDED, 404)
  async consistency(@Query() query: ConsistencyQuery) {
    const { from, to, proof } = await this.transparency.consistency(query.from, query.to);
    return { kind: 'consistency', from: from.note, to: to.note, fromSize: from.size, toSize: to.size, proof: base64(proof) };
  }

  private answer(checkpoint: RecordedCheckpoint) {
    const opened = openCheckpoint(checkpoint.note, this.transparency.verifierKey);
    const heads = committedHeads(opened);
    return {
      origin: opened.origin, treeSize: opened.size, rootHash: opened.root.toString('base64'),
      streamHeads: heads && { count: heads.count, rootHash: heads.root.toString('base64') },
      recordedAt: checkpoint.recordedAt, note: checkpoint.note,
    };
  }
}
