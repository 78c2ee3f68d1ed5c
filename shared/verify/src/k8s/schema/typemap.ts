/**
 * A strict schema in the shape of @kubernetes/client-node's generated models: for each type, its fields, each
 * field's type string (`string`, `number`, `boolean`, `Date`, `any`, `IntOrString`, `Array<T>`,
 * `{ [key: string]: T; }` or another type's name), and which fields are required.
 */
export interface FieldSpec {
  type: string;
  /** `int32`, `int64`, `int-or-string`, ... as in the OpenAPI document. */
  format: string;
  required: boolean;
  /** Allowed values, where the API documents a closed set (CRD schemas, and a few core enums added by hand). */
  enum?: readonly string[];
}

export interface TypeSpec {
  fields: Record<string, FieldSpec>;
}

export type TypeMap = Record<string, TypeSpec>;

/** Which model describes a top-level object, keyed `apiVersion|kind`. */
export type KindIndex = Record<string, string>;

export interface SchemaSet {
  /** Human-readable source, printed in findings: `Kubernetes v1.34.0 (@kubernetes/client-node 1.4.0)`. */
  source: string;
  types: TypeMap;
  kinds: KindIndex;
}

export const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}|${kind}`;
