// GitHub's heading anchors, following the rules of github-slugger (the library GitHub's own renderer matches):
// lower-case the heading text, drop symbols, punctuation other than `-` and `_`, controls and separators other
// than the plain space, then turn each space into `-`. Letters that Unicode also files under "Symbol" survive.
const REMOVED_CHARACTER =
  /(?![\p{Alphabetic} -])[\p{No}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Pd}\p{S}\p{C}\p{Z}]/gu;

export function githubSlug(headingText: string): string {
  return headingText.toLowerCase().replace(REMOVED_CHARACTER, '').replace(/ /g, '-');
}

/**
 * Hands out the anchors of one document in order. A repeated heading gets `-1`, `-2`... appended, and a
 * suffixed anchor that a later heading produces naturally is skipped over, exactly as GitHub does.
 */
export class HeadingSlugger {
  private readonly timesSeen = new Map<string, number>();

  slug(headingText: string): string {
    const base = githubSlug(headingText);
    let candidate = base;
    while (this.timesSeen.has(candidate)) {
      const next = (this.timesSeen.get(base) ?? 0) + 1;
      this.timesSeen.set(base, next);
      candidate = `${base}-${next}`;
    }
    this.timesSeen.set(candidate, 0);
    return candidate;
  }
}
