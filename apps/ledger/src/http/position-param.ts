import { decodePositionToken, InvalidPositionTokenError, type Position } from '@ledger/event-store';
import { HttpProblem } from '../problems/http-problem';

/** A position token from a request (`field` names where it came from), or a 400 problem. */
export function positionFromRequest(token: string, field: string): Position {
  try {
    return decodePositionToken(token);
  } catch (error) {
    if (error instanceof InvalidPositionTokenError) {
      throw new HttpProblem(400, 'INVALID_POSITION_TOKEN', `${field} is a position token the ledger answered with.`);
    }
    throw error;
  }
}
