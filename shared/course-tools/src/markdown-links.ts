// Checks that every relative link and every `#anchor` in a set of Markdown files resolves, the way GitHub
// resolves them when it renders the repository. External links (any URL scheme) are not fetched: they rot
// outside our control, and CI reaches only the npm registry.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import markdownit from 'markdown-it';
import type { Token } from 'markdown-it';
import { HeadingSlugger } from './slug.ts';

export interface MarkdownLink {
  /** The link exactly as the Markdown renders it (after reference resolution). */
  target: string;
  /** 1-based line of the link in its file. */
  line: number;
}

export interface LinkProblem {
  /** Path of the Markdown file holding the link, relative to the checked root. */
  file: string;
  line: number;
  target: string;
  message: string;
}

export interface LinkCheckResult {
  filesChecked: number;
  linksChecked: number;
  problems: LinkProblem[];
}

const parser = markdownit({ html: true, linkify: false });

// `scheme:` (http:, https:, mailto:, data:...) or protocol-relative `//host`: not a file in this repository.
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
// GitHub links to source lines as `#L10` or `#L10-L20`; only non-Markdown files have them.
const LINE_ANCHOR = /^L\d+(?:-L\d+)?$/;
// Anchors and links written as raw HTML, which GitHub also renders.
const HTML_ID = /<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/gi;
const HTML_LINK = /<(?:a|img|source)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']+)["']/gi;

function lineOf(text: string, index: number): number {
  let line = 0;
  for (let i = 0; i < index; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

function htmlLinks(html: string, firstLine: number): MarkdownLink[] {
  return [...html.matchAll(HTML_LINK)].map((match) => ({
    target: match[1] ?? '',
    line: firstLine + lineOf(html, match.index),
  }));
}

/** The text GitHub slugs for a heading: its rendered text, without markup or raw HTML. */
function headingText(inline: Token): string {
  return (inline.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');
}

export interface ParsedMarkdown {
  links: MarkdownLink[];
  anchors: Set<string>;
}

export function parseMarkdown(source: string): ParsedMarkdown {
  const tokens = parser.parse(source, {});
  const links: MarkdownLink[] = [];
  const anchors = new Set<string>();
  const slugger = new HeadingSlugger();

  // Table cells carry no line map of their own; they sit on the line of the nearest token that has one.
  let firstLine = 1;
  tokens.forEach((token, index) => {
    if (token.map) firstLine = token.map[0] + 1;
    if (token.type === 'heading_open') {
      const inline = tokens[index + 1];
      if (inline?.type === 'inline') anchors.add(slugger.slug(headingText(inline)));
    }
    if (token.type === 'html_block') {
      links.push(...htmlLinks(token.content, firstLine));
      for (const match of token.content.matchAll(HTML_ID)) anchors.add(match[1] ?? '');
    }
    if (token.type !== 'inline') return;
    // Inline children carry no line numbers; count the line breaks before each link instead.
    let line = firstLine;
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      const target =
        child.type === 'link_open'
          ? child.attrGet('href')
          : child.type === 'image'
            ? child.attrGet('src')
            : null;
      if (target !== null) links.push({ target: String(target), line });
      if (child.type === 'html_inline') {
        links.push(...htmlLinks(child.content, line));
        for (const match of child.content.matchAll(HTML_ID)) anchors.add(match[1] ?? '');
      }
    }
  });
  return { links, anchors };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * True when git would leave `absolutePath` out of a commit: it is untracked and matches .gitignore. A link to
 * such a file works on the author's machine and breaks for everyone else (a screenshot in artifacts/, say).
 */
function gitIgnores(absolutePath: string): boolean {
  const run = spawnSync('git', ['check-ignore', '--quiet', absolutePath], {
    cwd: path.dirname(absolutePath),
  });
  return run.status === 0;
}

/**
 * Checks the given Markdown files. `files` are paths relative to `root`; a link starting with `/` is taken
 * from `root`, as GitHub takes it from the repository root.
 */
export function checkMarkdownLinks(root: string, files: readonly string[]): LinkCheckResult {
  const parsedByPath = new Map<string, ParsedMarkdown>();
  const parse = (absolutePath: string): ParsedMarkdown => {
    let parsed = parsedByPath.get(absolutePath);
    if (!parsed) {
      parsed = parseMarkdown(fs.readFileSync(absolutePath, 'utf8'));
      parsedByPath.set(absolutePath, parsed);
    }
    return parsed;
  };

  const problems: LinkProblem[] = [];
  let linksChecked = 0;

  for (const file of files) {
    const absoluteFile = path.resolve(root, file);
    const { links } = parse(absoluteFile);
    for (const { target, line } of links) {
      if (EXTERNAL.test(target)) continue;
      linksChecked += 1;
      const report = (message: string): void => {
        problems.push({ file, line, target, message });
      };

      const hashAt = target.indexOf('#');
      const pathAndQuery = hashAt === -1 ? target : target.slice(0, hashAt);
      const fragment = hashAt === -1 ? null : safeDecode(target.slice(hashAt + 1));
      const linkPath = safeDecode(pathAndQuery.replace(/\?.*$/, ''));

      let targetFile = absoluteFile;
      if (linkPath !== '') {
        const resolved = linkPath.startsWith('/')
          ? path.join(root, linkPath)
          : path.resolve(path.dirname(absoluteFile), linkPath);
        const shown = path.relative(root, resolved) || '.';
        if (!fs.existsSync(resolved)) {
          report(`link target "${shown}" does not exist`);
          continue;
        }
        if (gitIgnores(resolved)) {
          report(`link target "${shown}" exists here but is git-ignored, so it is missing from every clone`);
          continue;
        }
        targetFile = resolved;
        // A folder link renders the folder's README on GitHub, so its anchors come from there.
        if (fs.statSync(resolved).isDirectory() && fragment) {
          targetFile = path.join(resolved, 'README.md');
          if (!fs.existsSync(targetFile)) {
            report(`anchor "#${fragment}" points into folder "${shown}", which has no README.md`);
            continue;
          }
        }
      }

      if (fragment === null || fragment === '' || fragment === 'top') continue;
      const shownTarget = path.relative(root, targetFile);
      if (!/\.md$/i.test(targetFile)) {
        if (!LINE_ANCHOR.test(fragment)) {
          report(
            `anchor "#${fragment}" on non-Markdown file "${shownTarget}" is not a line anchor like #L10`,
          );
        }
        continue;
      }
      const { anchors } = parse(targetFile);
      if (anchors.has(fragment)) continue;
      const caseInsensitive = [...anchors].find((anchor) => anchor.toLowerCase() === fragment.toLowerCase());
      const hint = caseInsensitive
        ? ` (anchors are lower-case: use "#${caseInsensitive}")`
        : ` (it has ${anchors.size} anchors${
            anchors.size
              ? `, e.g. ${[...anchors]
                  .slice(0, 8)
                  .map((anchor) => `#${anchor}`)
                  .join(', ')}`
              : ''
          })`;
      report(`anchor "#${fragment}" not found in "${shownTarget}"${hint}`);
    }
  }
  return { filesChecked: files.length, linksChecked, problems };
}

export function formatProblem(problem: LinkProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message} [link: ${problem.target}]`;
}
