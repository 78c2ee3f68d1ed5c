// Compares a step's output with the README's expected block. The README's own ellipsis is the matcher for volatile
// parts: `...` (or `…`) inside a line matches any text on that line (a time, a hash, an age); a line that is only
// `...` matches any number of lines (output the README leaves out). Runs of spaces count as one, so a table whose
// column widths change with a pod name still matches, and colours and trailing spaces are ignored.
// Jest's durations are volatile too: a ` (12 ms)` or ` (6.247 s)` that ends a line is dropped on both sides, so a
// verify excerpt reads like the check list it is (jest prints no duration at all for a check that took under 1 ms).
// Counts that grow whenever a check is added (verify's Passed column, jest's `Tests: N passed, M total`) are written
// as `...` in the README: the rest of the line stays literal, so `Failed 0` and `✓` are still compared, and adding a
// check does not make every day's lab stale. Verify's Skipped column is written `...` for a second reason: it depends
// on the machine (day 1's container check skips where `docker info` does not answer).

const ELLIPSIS = /\.\.\.|…/;
const JEST_DURATION = / \(\d+(?:\.\d+)? m?s\)$/;

export function normalize(text: string): string[] {
  const lines = text
    // eslint-disable-next-line no-control-regex -- colour codes from tools that ignore NO_COLOR
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim().replace(JEST_DURATION, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}

function linePattern(expected: string): RegExp {
  const parts = expected.split(ELLIPSIS).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** True when `actual` matches `expected` under the rules above. */
export function outputMatches(expected: string, actual: string): boolean {
  const want = normalize(expected);
  const got = normalize(actual);
  const patterns = want.map((line) => (line === '...' || line === '…' ? undefined : linePattern(line)));
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === patterns.length) result = j === got.length;
    else if (patterns[i] === undefined) result = match(i + 1, j) || (j < got.length && match(i, j + 1));
    else result = j < got.length && patterns[i]!.test(got[j]!) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
