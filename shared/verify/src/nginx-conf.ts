/** A directive of an nginx config: `name args...;` or `name args... { children }`. */
export interface NginxDirective {
  name: string;
  args: string[];
  line: number;
  children?: NginxDirective[];
}

/**
 * A small nginx config parser (words, quoted strings, blocks, comments), enough to read directives for
 * cross-checks. `nginx -t` stays the authority on validity.
 */
export function parseNginxConfig(text: string): NginxDirective[] {
  const tokens: { value: string; line: number; quoted: boolean }[] = [];
  let line = 1;
  for (let i = 0; i < text.length;) {
    const c = text[i] as string;
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      tokens.push({ value: c, line, quoted: false });
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        if (text[j] === '\n') line++;
        value += text[j];
        j++;
      }
      tokens.push({ value, line, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};]/.test(text[j] as string)) {
        // `${name}` is part of a word (nginx variables, and template placeholders), not a block.
        if (text[j] === '$' && text[j + 1] === '{')
          j = text.indexOf('}', j) === -1 ? text.length : text.indexOf('}', j);
        j++;
      }
      tokens.push({ value: text.slice(i, j), line, quoted: false });
      i = j;
    }
  }
  let pos = 0;
  const parseBlock = (): NginxDirective[] => {
    const out: NginxDirective[] = [];
    while (pos < tokens.length) {
      const first = tokens[pos] as (typeof tokens)[number];
      if (!first.quoted && first.value === '}') {
        pos++;
        return out;
      }
      const words: string[] = [];
      while (pos < tokens.length) {
        const t = tokens[pos] as (typeof tokens)[number];
        if (!t.quoted && (t.value === ';' || t.value === '{' || t.value === '}')) break;
        words.push(t.value);
        pos++;
      }
      const end = tokens[pos];
      const directive: NginxDirective = { name: words[0] ?? '', args: words.slice(1), line: first.line };
      if (end?.value === '{' && !end.quoted) {
        pos++;
        directive.children = parseBlock();
      } else pos++;
      out.push(directive);
    }
    return out;
  };
  return parseBlock();
}

/** Every directive named `name`, at any depth. */
export function findDirectives(tree: NginxDirective[], name: string): NginxDirective[] {
  return tree.flatMap((d) => [...(d.name === name ? [d] : []), ...findDirectives(d.children ?? [], name)]);
}

/** The `location` block whose arguments end with `path` (any modifier). */
export function findLocation(tree: NginxDirective[], path: string): NginxDirective | undefined {
  return findDirectives(tree, 'location').find((l) => l.args.at(-1) === path);
}
