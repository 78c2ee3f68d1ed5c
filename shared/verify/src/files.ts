import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { parseDocument } from 'yaml';

export function readText(root: string, file: string): string {
  const full = path.join(root, file);
  if (!existsSync(full)) throw new Error(`${file} not found under ${root}`);
  return readFileSync(full, 'utf8');
}

export function fileExists(root: string, file: string): boolean {
  return existsSync(path.join(root, file));
}

export function isDirectory(root: string, file: string): boolean {
  const full = path.join(root, file);
  return existsSync(full) && statSync(full).isDirectory();
}

/** Parses YAML, throwing with the file name and the parser's line:col message when it is malformed. */
export function readYaml(root: string, file: string): unknown {
  const doc = parseDocument(readText(root, file), { merge: true });
  if (doc.errors.length > 0)
    throw new Error(`${file} is not valid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS();
}

export function readDockerfile(root: string, file: string): Dockerfile {
  return DockerfileParser.parse(readText(root, file));
}

interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
}

/** Docker's pattern syntax (Go filepath.Match plus `**`), anchored at the context root. */
function patternToRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** A `.dockerignore` matcher: the last matching rule wins, and excluding a directory excludes its contents. */
export function dockerignoreMatcher(content: string): (file: string) => boolean {
  const rules: IgnoreRule[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = path.posix
      .normalize((negate ? line.slice(1) : line).trim())
      .replace(/^\/+/, '')
      .replace(/\/+$/, '');
    rules.push({ negate, regex: patternToRegex(pattern) });
  }
  return (file: string) => {
    const clean = path.posix
      .normalize(file)
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '');
    const parts = clean.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    }
    return excluded;
  };
}
