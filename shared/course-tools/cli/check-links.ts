// Usage: npm run check:links [-- file.md ...]
// Without arguments it checks every tracked Markdown file; exits 1 when a link or anchor does not resolve.
import fs from 'node:fs';
import path from 'node:path';
import { checkMarkdownLinks, formatProblem } from '../src/markdown-links.ts';
import { repoRoot, trackedMarkdownFiles } from '../src/repo.ts';

const root = repoRoot();
const requested = process.argv.slice(2);
const files = requested.length
  ? requested.map((file) => path.relative(root, path.resolve(process.env.INIT_CWD ?? process.cwd(), file)))
  : trackedMarkdownFiles(root);

const absent = files.filter((file) => !fs.existsSync(path.join(root, file)));
if (absent.length) {
  console.error(`check:links: no such Markdown file: ${absent.join(', ')}`);
  process.exit(2);
}

const result = checkMarkdownLinks(root, files);
for (const problem of result.problems) console.error(formatProblem(problem));
const summary = `${result.filesChecked} Markdown files, ${result.linksChecked} relative links and anchors checked, ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`;
if (result.problems.length) {
  console.error(`\n${summary}. External http(s) links are not fetched.`);
  process.exit(1);
}
console.log(`${summary}. External http(s) links are not fetched.`);
