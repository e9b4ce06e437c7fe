/**
 * A place in the global log. EventStoreDB positions have a commit and a prepare part; the embedded store
 * uses its rowid for both. Positions are bigint end to end and leave the service only as opaque tokens.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Before the first event of the log. */
export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

const TOKEN_PREFIX = 'p1.';

/** Encodes a position as an opaque, URL-safe token; clients keep it and hand it back, nothing more. */
export function encodePositionToken(position: Position): string {
  return TOKEN_PREFIX + Buffer.from(`${position.commit}.${position.prepare}`, 'utf8').toString('base64url');
}

export class InvalidPositionTokenError extends Error {
  override readonly name = 'InvalidPositionTokenError';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function inInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

export function decodePositionToken(token: string): Position {
  const text = token.startsWith(TOKEN_PREFIX)
    ? Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')
    : '';
  const match = /^(-?\d{1,20})\.(-?\d{1,20})$/.exec(text);
  if (!match) throw new InvalidPositionTokenError(`Not a position token: ${token}`);
  const position = { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
  // Positions are signed 64-bit on both stores: anything beyond is no position either has answered with.
  if (!inInt64(position.commit) || !inInt64(position.prepare)) throw new InvalidPositionTokenError(`Not a position token: ${token}`);
  return position;
}
