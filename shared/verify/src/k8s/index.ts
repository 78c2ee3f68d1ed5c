/**
 * Kubernetes validators shared by every day that ships manifests: render (kustomize), strict schema, policy,
 * cross-reference and NetworkPolicy checks, all pure functions from rendered objects to findings.
 */
export * from './types';
export * from './render';
export * from './workloads';
export * from './policy';
export * from './xref';
export * from './netpol';
export * from './cluster';
export { kubernetesSchemas } from './schema/openapi';
export { withCourseCrds } from './schema/crds';
export { validateSchema } from './schema/validate';
export type { SchemaSet, TypeMap, TypeSpec, FieldSpec } from './schema/typemap';
export * from './app-routes';
export * from './course-checks';
