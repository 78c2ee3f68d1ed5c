import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Terraform folders of the course whose `.tf` files decide which provider types the schema files hold. Only
 * node built-ins here: regenerate.mjs imports this file directly (node strips the types).
 */
export const SCHEMA_TERRAFORM_DIRS = ['day5-terraform', 'day7-keyvault-aks/terraform'];

export interface TypeUse {
  kind: 'resource' | 'data';
  type: string;
  /** Repository-relative. */
  file: string;
  line: number;
}

/** Every `resource "T"` and `data "T"` in the .tf files under SCHEMA_TERRAFORM_DIRS, with file and line. */
export function typesUsed(root: string): TypeUse[] {
  const found: TypeUse[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.terraform') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.tf')) {
        readFileSync(full, 'utf8')
          .split('\n')
          .forEach((text, index) => {
            const m = /^\s*(resource|data)\s+"([a-z0-9_]+)"/.exec(text);
            if (m?.[1] && m[2]) {
              const kind = m[1] as TypeUse['kind'];
              found.push({ kind, type: m[2], file: path.relative(root, full), line: index + 1 });
            }
          });
      }
    }
  };
  for (const dir of SCHEMA_TERRAFORM_DIRS) walk(path.join(root, dir));
  return found;
}
