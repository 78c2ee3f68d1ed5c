import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkMarkdownLinks, formatProblem } from '../src/markdown-links.ts';
import { repoRoot, trackedMarkdownFiles } from '../src/repo.ts';

const fixtures = path.join(__dirname, 'fixtures', 'links');
const repo = repoRoot(__dirname);

describe('checkMarkdownLinks', () => {
  it('accepts relative files, folders, headings in other files, duplicate suffixes, HTML anchors and line anchors', () => {
    const result = checkMarkdownLinks(path.join(fixtures, 'valid'), ['README.md', 'guide.md']);

    expect(result.problems.map(formatProblem)).toEqual([]);
    // 10 relative links in README.md; the two external ones are skipped, not counted.
    expect(result.linksChecked).toBe(11);
  });

  it('reports a broken relative link with file:line and the missing path', () => {
    const result = checkMarkdownLinks(path.join(fixtures, 'missing-file'), ['README.md']);

    expect(result.problems.map(formatProblem)).toEqual([
      'README.md:5: link target "../day9/README.md" does not exist [link: ../day9/README.md]',
    ]);
  });

  it('reports missing anchors in another file, in a table, by case, and past the last duplicate', () => {
    const result = checkMarkdownLinks(path.join(fixtures, 'missing-anchor'), ['README.md']);

    expect(result.problems.map(formatProblem)).toEqual([
      'README.md:6: anchor "#install-steps" not found in "guide.md" (it has 4 anchors, e.g. #guide, #setup-steps, #faq, #faq-1) [link: guide.md#install-steps]',
      'README.md:8: anchor "#Missing-Anchor" not found in "README.md" (anchors are lower-case: use "#missing-anchor") [link: #Missing-Anchor]',
      'README.md:9: anchor "#faq-2" not found in "guide.md" (it has 4 anchors, e.g. #guide, #setup-steps, #faq, #faq-1) [link: guide.md#faq-2]',
    ]);
  });
});

describe('checkMarkdownLinks on a git-ignored target', () => {
  const folder = path.join(fixtures, 'ignored-target');
  const screenshot = path.join(folder, 'artifacts', 'screenshot.png');
  beforeAll(() => {
    // artifacts/ is in .gitignore, so this file exists here yet would be absent from any clone.
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    fs.writeFileSync(screenshot, 'not a real PNG; only its existence matters');
  });
  afterAll(() => {
    fs.rmSync(path.dirname(screenshot), { recursive: true, force: true });
  });

  it('reports a link to a file that exists only because it is ignored', () => {
    const result = checkMarkdownLinks(folder, ['README.md']);

    expect(result.problems.map(formatProblem)).toEqual([
      'README.md:5: link target "artifacts/screenshot.png" exists here but is git-ignored, so it is missing from every clone [link: artifacts/screenshot.png]',
    ]);
  });
});

describe('the repository Markdown', () => {
  it('has no broken relative link or anchor in any tracked Markdown file', () => {
    const files = trackedMarkdownFiles(repo);
    const result = checkMarkdownLinks(repo, files);

    expect(files).toContain('docs/decisions/README.md');
    expect(result.problems.map(formatProblem)).toEqual([]);
  });
});

describe('npm run check:links (CLI)', () => {
  const cli = path.join(__dirname, '..', 'cli', 'check-links.ts');

  it('exits 1 and prints file:line for a broken fixture', () => {
    const run = spawnSync(process.execPath, [cli, path.join(fixtures, 'missing-file', 'README.md')], {
      cwd: repo,
      encoding: 'utf8',
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'shared/course-tools/test/fixtures/links/missing-file/README.md:5: link target',
    );
  });

  it('exits 0 on a valid fixture and prints the summary', () => {
    const output = execFileSync(process.execPath, [cli, path.join(fixtures, 'valid', 'README.md')], {
      cwd: repo,
      encoding: 'utf8',
    });

    expect(output).toContain('1 Markdown files, 11 relative links and anchors checked, 0 problems');
  });
});
