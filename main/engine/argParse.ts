// Validate an inbound argument with a shared schema; failures become invalid-input errors (exit 2).
import type { z } from 'zod';
import { describeZodError } from '../common/schemas.ts';
import { invalidInput } from '../common/errors.ts';

export function parseArgs<T extends z.ZodType>(schema: T, args: unknown, what: string): z.output<T> {
  const r = schema.safeParse(args ?? {});
  if (!r.success) throw invalidInput(describeZodError(r.error, what));
  return r.data;
}
