// Request shapes. `.strict()` everywhere: an unknown field is a client bug worth a 400, not a silent drop.
import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '../services/tasks';

// PostgreSQL text cannot hold U+0000: without this rule the INSERT fails and a client typo becomes a 500.
const noNul = [
  (text: string) => !text.includes('\u0000'),
  'must not contain the NUL character (U+0000)',
] as const;

const title = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine(...noNul);
const description = z
  .string({ message: 'must be a string' })
  .max(5000, 'must be at most 5000 characters')
  .refine(...noNul);
const status = z.enum(TASK_STATUSES, { message: `must be one of ${TASK_STATUSES.join(', ')}` });
const priority = z.enum(TASK_PRIORITIES, { message: `must be one of ${TASK_PRIORITIES.join(', ')}` });
// zod's ISO date rule accepts year 0000; PostgreSQL's date has no year 0 (1 BC is 0001 BC), so 0000 would fail
// in the INSERT. 0001-01-01 to 9999-12-31 is what both the schema and the column accept as YYYY-MM-DD.
const dueDate = z.iso
  .date({ message: 'must be a date as YYYY-MM-DD' })
  .refine((value) => !value.startsWith('0000-'), 'must be a date from 0001-01-01 to 9999-12-31')
  .nullable();

/** The `version` column is a PostgreSQL integer (int4); a larger number could never match and overflows the query. */
export const MAX_VERSION = 2 ** 31 - 1;

export const createTaskBody = z
  .object({
    title,
    description: description.default(''),
    status: status.default('todo'),
    priority: priority.default('medium'),
    dueDate: dueDate.default(null),
  })
  .strict();

export const updateTaskBody = z
  .object({
    version: z
      .number({ message: 'must be the integer version you read' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_VERSION, `must be at most ${MAX_VERSION}`),
    title: title.optional(),
    description: description.optional(),
    status: status.optional(),
    priority: priority.optional(),
    dueDate: dueDate.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), {
    message: 'must change at least one of title, description, status, priority, dueDate',
  });

/** Route ids: any 8-4-4-4-12 hex string PostgreSQL's uuid type accepts, so a well-formed unknown id is a 404. */
export const taskParams = z.object({ id: z.guid({ message: 'must be a UUID' }) }).strict();

/** Empty query values (`?status=`) mean "no filter", as an HTML form or a cleared select sends them. */
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const listTasksQuery = z
  .object({
    status: z.preprocess(emptyAsUndefined, status.optional()),
    q: z.preprocess(
      emptyAsUndefined,
      z
        .string({ message: 'must be given once' })
        .trim()
        .max(200, 'must be at most 200 characters')
        .refine(...noNul)
        .optional(),
    ),
    limit: z.preprocess(
      emptyAsUndefined,
      z
        .string({ message: 'must be given once' })
        .regex(/^\d+$/, 'must be an integer from 1 to 100')
        .transform(Number)
        .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
        .optional(),
    ),
    cursor: z.preprocess(
      emptyAsUndefined,
      z.string({ message: 'must be given once' }).max(500, 'is not a cursor this API issued').optional(),
    ),
  })
  .strict();

/**
 * The `Idempotency-Key` request header: 1 to 255 visible ASCII characters without spaces (a UUID is the usual
 * choice). Node joins repeated headers with ", ", so a repeated key contains a space and is refused too.
 */
export const idempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be given once, as 1 to 255 visible ASCII characters such as a UUID')
    .optional(),
});
