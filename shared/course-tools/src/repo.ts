import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** The top folder of the git checkout that holds `from`. */
export function repoRoot(from: string = process.cwd()): string {
  return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: from, encoding: 'utf8' }).trim();
}

// Fixture folders hold deliberately broken files for tests; markdownlint skips them for the same reason.
const FIXTURE_SEGMENT = /(?:^|\/)(?:fixtures|__fixtures__)\//;

/** Tracked Markdown files (paths relative to `root`) that still exist in the working tree, fixtures excluded. */
export function trackedMarkdownFiles(root: string): string[] {
  const output = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: root, encoding: 'utf8' });
  return output
    .split('\0')
    .filter((file) => file !== '' && !FIXTURE_SEGMENT.test(file))
    .filter((file) => fs.existsSync(`${root}/${file}`));
}
