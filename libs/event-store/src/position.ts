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

/** SQLite's positions are signed 64-bit, EventStoreDB's unsigned: a token's numbers lie within the two. */
const POSITION_MIN = -(2n ** 63n);
const POSITION_MAX = 2n ** 64n - 1n;

function inRange(value: bigint): boolean {
  return value >= POSITION_MIN && value <= POSITION_MAX;
}

export function decodePositionToken(token: string): Position {
  const text = token.startsWith(TOKEN_PREFIX)
    ? Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')
    : '';
  const match = /^(-?\d{1,20})\.(-?\d{1,20})$/.exec(text);
  if (!match) throw new InvalidPositionTokenError(`Not a position token: ${token}`);
  const position = { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
  if (!inRange(position.commit) || !inRange(position.prepare)) throw new InvalidPositionTokenError(`Not a position token: ${token}`);
  return position;
}

const SQLITE_INTEGER_MAX = 2n ** 63n - 1n;

/** A position number as a bound for SQLite's signed 64-bit integers: one beyond them is after everything there. */
export function asSqliteBound(value: bigint): bigint {
  return value > SQLITE_INTEGER_MAX ? SQLITE_INTEGER_MAX : value;
}
