import { finding, isRecord, show, type Finding, type Rendered } from '../types';
import { kindKey, type SchemaSet } from './typemap';

const arrayType = /^Array<(.+)>$/;
const mapType = /^\{ \[key: string\]: (.+); \}$/;
// Resource quantities are strings in the model, but the API server also accepts plain numbers (`cpu: 1`).
const quantityMaps = new Set(['limits', 'requests', 'capacity', 'hard', 'overhead', 'allocatable']);

/** Levenshtein distance, to suggest the field a typo was meant to be. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = distance(name.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function describeType(type: string, format: string): string {
  if (type === 'number')
    return format === 'double' ? 'a number' : `an integer${format ? ` (${format})` : ''}`;
  if (type === 'IntOrString') return 'an integer or a string';
  if (type === 'Date') return 'a timestamp string';
  if (arrayType.test(type)) return 'a list';
  if (mapType.test(type)) return 'a map';
  if (['string', 'boolean'].includes(type)) return `a ${type}`;
  return `an object (${type})`;
}

function typeFix(type: string, format: string, value: unknown): string {
  if (type === 'number' && typeof value === 'string' && /^\d+$/.test(value)) {
    return `write the number without quotes: ${value}`;
  }
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `quote the value: "${String(value)}"`;
  }
  return `use ${describeType(type, format)} here`;
}

/**
 * Validates every object strictly: unknown fields, wrong types and missing required fields, each reported with
 * its path. Objects of a kind with no schema are findings too, so nothing slips through unchecked.
 */
export function validateSchema(objects: Rendered[], schemas: SchemaSet): Finding[] {
  const findings: Finding[] = [];
  for (const r of objects) {
    const model = schemas.kinds[kindKey(r.obj.apiVersion, r.obj.kind)];
    if (!model) {
      findings.push(
        finding(r, 'schema-kind', 'apiVersion', {
          expected: `an apiVersion/kind with a schema in ${schemas.source}`,
          actual: `${show(r.obj.apiVersion)} ${show(r.obj.kind)}`,
          fix: 'use a served apiVersion for this kind (kubectl api-resources), or add a strict schema for the CRD in shared/verify/src/k8s/schema/crds.ts',
        }),
      );
      continue;
    }
    walk(r, r.obj, model, '', schemas, findings, '');
  }
  return findings;
}

function walk(
  r: Rendered,
  value: unknown,
  type: string,
  path: string,
  schemas: SchemaSet,
  out: Finding[],
  fieldName: string,
  format = '',
  allowed?: readonly string[],
): void {
  if (value === null || type === 'any' || type === 'object') return;
  const wrongType = (): void => {
    out.push(
      finding(r, 'schema-type', path, {
        expected: `${describeType(type, format)} (${schemas.source})`,
        actual: `${typeof value === 'object' ? (Array.isArray(value) ? 'a list' : 'an object') : `${typeof value}`} ${show(value)}`,
        fix: typeFix(type, format, value),
      }),
    );
  };
  switch (type) {
    case 'string':
    case 'Date':
      if (typeof value === 'number' && quantityMaps.has(fieldName)) return;
      if (typeof value !== 'string') return wrongType();
      if (allowed && !allowed.includes(value)) {
        out.push(
          finding(r, 'schema-enum', path, {
            expected: `one of ${allowed.join(', ')}`,
            actual: show(value),
            fix: `use one of ${allowed.join(', ')}`,
          }),
        );
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType();
      return;
    case 'number':
      if (typeof value !== 'number' || (format !== 'double' && !Number.isInteger(value))) wrongType();
      return;
    case 'IntOrString':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) wrongType();
      return;
  }
  const array = arrayType.exec(type);
  if (array?.[1]) {
    if (!Array.isArray(value)) return wrongType();
    value.forEach((item, i) => walk(r, item, array[1]!, `${path}[${i}]`, schemas, out, fieldName));
    return;
  }
  const map = mapType.exec(type);
  if (map?.[1]) {
    if (!isRecord(value)) return wrongType();
    for (const [key, item] of Object.entries(value)) {
      walk(r, item, map[1], `${path}[${JSON.stringify(key)}]`, schemas, out, fieldName);
    }
    return;
  }
  const spec = schemas.types[type];
  if (!spec) return; // a type the generator left opaque: nothing stricter to say
  if (!isRecord(value)) return wrongType();
  const known = Object.keys(spec.fields);
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const field = spec.fields[key];
    if (!field) {
      const suggestion = closest(key, known);
      out.push(
        finding(r, 'schema-unknown-field', childPath, {
          expected: `a field of ${type} (${schemas.source})${suggestion ? `, such as "${suggestion}"` : ''}`,
          actual: `unknown field "${key}"`,
          fix: suggestion
            ? `rename "${key}" to "${suggestion}"; the API server rejects unknown fields (kubectl --validate=strict)`
            : `remove "${key}" or move it to the right level; valid fields here: ${known.join(', ')}`,
        }),
      );
      continue;
    }
    walk(r, child, field.type, childPath, schemas, out, key, field.format, field.enum);
  }
  for (const [key, field] of Object.entries(spec.fields)) {
    if (
      field.required &&
      value[key] === undefined &&
      !(path === '' && ['apiVersion', 'kind'].includes(key))
    ) {
      out.push(
        finding(r, 'schema-required', path ? `${path}.${key}` : key, {
          expected: `required field "${key}" (${describeType(field.type, field.format)})`,
          actual: 'nothing (the field is absent)',
          fix: `add ${key} to ${path || 'the object'}`,
        }),
      );
    }
  }
}
