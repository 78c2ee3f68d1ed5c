import { repoRoot } from '../src/check';
import { REGENERATE_COMMAND, loadSchemaFiles } from '../src/terraform/providers';
import { typesUsed as typesUsedUnder } from '../src/terraform/types-used';

// The provider tier serves only the resource and data-source types extracted into terraform-schema/*.json (ADR
// 0012). A type a .tf file uses but the JSON lacks would fail terraform validate with "Invalid resource type";
// this names the file, line and the command that extracts it.
const typesUsed = () =>
  typesUsedUnder(repoRoot).map(({ kind, type, file, line }) => ({ kind, type, where: `${file}:${line}` }));

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
