/** Ends an exhaustive `switch`: the compiler rejects the call when a case is left unhandled. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
