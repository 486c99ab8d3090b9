// Errors are values a person can act on: what failed, on which input, what to do.
import type { ApiErrorShape } from './api.ts';

export class KneepointError extends Error {
  readonly kind: ApiErrorShape['kind'];
  constructor(kind: ApiErrorShape['kind'], message: string) {
    super(message);
    this.name = 'KneepointError';
    this.kind = kind;
  }
  toShape(): ApiErrorShape {
    return { kind: this.kind, message: this.message };
  }
}

/** Bad user input: CLI exit code 2. */
export const invalidInput = (message: string) => new KneepointError('invalid-input', message);
export const notFound = (message: string) => new KneepointError('not-found', message);

export function errorShape(err: unknown): ApiErrorShape {
  if (err instanceof KneepointError) return err.toShape();
  if (err && typeof err === 'object' && 'kind' in err && 'message' in err) {
    return { kind: (err as ApiErrorShape).kind, message: String((err as ApiErrorShape).message) };
  }
  return { kind: 'engine', message: err instanceof Error ? err.message : String(err) };
}
