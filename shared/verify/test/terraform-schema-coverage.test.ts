import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/check';
import { TERRAFORM_TREES } from '../src/terraform/provider-tier';
import { REGENERATE_COMMAND, loadSchemaFiles } from '../src/terraform/providers';

// The provider tier serves only the resource and data-source types extracted into terraform-schema/*.json (ADR
// 0012). A type a .tf file uses but the JSON lacks would fail terraform validate with "Invalid resource type";
// this names the file, line and the command that extracts it.
function typesUsed(): { kind: 'resource' | 'data'; type: string; where: string }[] {
  const found: { kind: 'resource' | 'data'; type: string; where: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.terraform') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.tf')) {
        readFileSync(full, 'utf8')
          .split('\n')
          .forEach((text, index) => {
            const m = /^\s*(resource|data)\s+"([a-z0-9_]+)"/.exec(text);
            if (m) {
              const where = `${path.relative(repoRoot, full)}:${index + 1}`;
              found.push({ kind: m[1] as 'resource' | 'data', type: m[2] ?? '', where });
            }
          });
      }
    }
  };
  for (const tree of TERRAFORM_TREES) walk(path.join(repoRoot, tree));
  return found;
}

describe('the committed provider schemas', () => {
  const schemas = loadSchemaFiles();

  it('cover every resource and data-source type that days 5 and 7 use', () => {
    const used = typesUsed();
    expect(used.length).toBeGreaterThan(20);
    const missing = used
      .filter(({ kind, type }) => {
        const provider = schemas.find((s) => type.startsWith(`${s.source.name}_`));
        const table = kind === 'resource' ? provider?.resource_schemas : provider?.data_source_schemas;
        return !table || !(type in table);
      })
      .map(
        ({ kind, type, where }) =>
          `${where}: ${kind} "${type}" is not in the extracted schemas; run ${REGENERATE_COMMAND}`,
      );
    expect(missing).toEqual([]);
  });

  it('hold nothing the course does not use (a renamed type leaves no stale schema behind)', () => {
    const used = new Set(typesUsed().map(({ kind, type }) => `${kind} ${type}`));
    const stale = schemas.flatMap((s) => [
      ...Object.keys(s.resource_schemas)
        .filter((t) => !used.has(`resource ${t}`))
        .map((t) => `resource ${t}`),
      ...Object.keys(s.data_source_schemas)
        .filter((t) => !used.has(`data ${t}`))
        .map((t) => `data ${t}`),
    ]);
    expect(stale).toEqual([]);
  });

  it('name the provider release they come from', () => {
    expect(schemas.map((s) => `${s.source.name} ${s.source.providerVersion}`)).toEqual([
      'azurerm 4.73.0',
      'random 3.9.1',
    ]);
    for (const s of schemas) expect(s.source.package).toMatch(/^@cdktn\/provider-/);
  });
});
