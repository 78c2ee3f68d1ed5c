// Turns zod issues into the problem+json `errors` list: one entry per offending field.
import type { z } from 'zod';
import { AppError, type FieldError } from '../errors';

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push({ path: base ? `${base}.${key}` : key, message: 'is not an allowed field' });
    } else {
      errors.push({ path: base, message: issue.message });
    }
  }
  throw AppError.validation(
    errors,
    `The ${where} is invalid: ${errors.map((e) => `${e.path || '(body)'} ${e.message}`).join('; ')}.`,
  );
}
