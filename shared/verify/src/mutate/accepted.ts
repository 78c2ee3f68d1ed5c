// A day's accepted survivors (`<day>/verify/mutants-accepted.yaml`): mutants no static check kills, each with the
// reason that is fine. Reviewed like code: an entry that no longer matches a survivor is reported as stale.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface AcceptedSurvivor {
  /**
   * A mutant id, or a pattern: `*` stands for any run of characters within one path segment (no `.`, `#`, `[`, `]`),
   * `**` for any run at all (a new value, which may hold dots).
   */
  id: string;
  reason: string;
}

export const acceptedFile = (folder: string) => `${folder}/verify/mutants-accepted.yaml`;

export function readAccepted(root: string, folder: string): AcceptedSurvivor[] {
  const file = acceptedFile(folder);
  if (!existsSync(path.join(root, file))) return [];
  const parsed = parse(readFileSync(path.join(root, file), 'utf8')) as { accepted?: unknown } | null;
  const entries = Array.isArray(parsed?.accepted) ? (parsed.accepted as unknown[]) : [];
  // An entry names one id (`id:`) or several that share one reason (`ids:`).
  return entries.flatMap((entry, i) => {
    const { id, ids, reason } = (entry ?? {}) as { id?: unknown; ids?: unknown; reason?: unknown };
    const named = Array.isArray(ids) ? ids : [id];
    if (!named.every((n) => typeof n === 'string') || typeof reason !== 'string' || reason.trim().length < 10)
      throw new Error(
        `${file}: entry ${i} needs an id (or ids) and a reason (a sentence a reviewer can check)`,
      );
    return (named as string[]).map((n) => ({ id: n, reason }));
  });
}

function pattern(id: string): RegExp {
  const escaped = id
    .split('**')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '[^.#\\[\\]]*'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/** The entry accepting `mutantId`, if any. */
export function acceptedBy(accepted: AcceptedSurvivor[], mutantId: string): AcceptedSurvivor | undefined {
  return accepted.find((entry) => entry.id === mutantId || pattern(entry.id).test(mutantId));
}
