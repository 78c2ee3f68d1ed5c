import { finding, get, asArray, asStringMap, isRecord, show, type Finding, type Rendered } from './types';
import {
  containersOf,
  podTemplates,
  selectorMatches,
  type ContainerRef,
  type PodTemplate,
} from './workloads';

/*
 * The course's own policy rules over rendered objects: only what kube-score 1.20.0 (shared/verify/src/k8s/
 * kube-score.ts, run over the same objects) does not check, or checks differently from what the course teaches.
 * docs/decisions/0013-kube-score-replaces-policy-rules.md lists what kube-score took over and why each rule here
 * stays. Each rule is named for what it guards, returns findings instead of throwing, and needs no cluster, so a
 * Helm chart's `helm template` output is checked the same way as day 2's kustomize output.
 */

function forContainers(
  objects: Rendered[],
  pick: (c: ContainerRef) => boolean,
  check: (c: ContainerRef) => Finding[],
): Finding[] {
  return podTemplates(objects)
    .flatMap((pod) => containersOf(pod))
    .filter(pick)
    .flatMap(check);
}

/**
 * Every long-running container has its own readiness and liveness probe. Kept although kube-score has
 * `pod-probes`: at v1.20.0 (score/probes/probes.go) that test skips a pod no Service selects and is satisfied by one
 * probe of each kind anywhere in the pod, while the course asks it of each container, Service or not.
 */
export function checkProbes(
  objects: Rendered[],
  probes: readonly ('readinessProbe' | 'livenessProbe' | 'startupProbe')[] = [
    'readinessProbe',
    'livenessProbe',
  ],
): Finding[] {
  return forContainers(
    objects,
    (c) => c.pod.longRunning && !c.init,
    (c) =>
      probes
        .filter((probe) => !isRecord(c.container[probe]))
        .map((probe) =>
          finding(c.pod.r, 'container-probes', `${c.path}.${probe}`, {
            expected: `container "${c.name}" to define a ${probe}`,
            actual: 'no probe',
            fix: `add ${probe} (httpGet on the app's health endpoint) to container "${c.name}"`,
          }),
        ),
  );
}

function podSecurity(pod: PodTemplate, key: string): unknown {
  return get(pod.spec, 'securityContext', key);
}

/**
 * The parts of the restricted security context that kube-score 1.20.0 does not check as the course teaches them
 * (score/security/security.go): runAsNonRoot (its `container-security-context-user-group-id` wants UIDs above
 * 10000 instead, and is left off in kube-score.yaml), allowPrivilegeEscalation and dropped capabilities (no test
 * reads them), and a RuntimeDefault or Localhost seccomp profile (its optional `container-seccomp-profile` passes any
 * profile, Unconfined included). kube-score's own tests cover privileged and readOnlyRootFilesystem.
 */
export function checkSecurityContext(objects: Rendered[]): Finding[] {
  return forContainers(
    objects,
    () => true,
    (c) => {
      const out: Finding[] = [];
      const sc = get(c.container, 'securityContext');
      const at = (key: string) => `${c.path}.securityContext.${key}`;
      const add = (rule: string, key: string, expected: string, actual: unknown, fix: string) =>
        out.push(
          finding(c.pod.r, rule, at(key), {
            expected: `container "${c.name}": ${expected}`,
            actual: show(actual),
            fix,
          }),
        );

      const runAsNonRoot = get(sc, 'runAsNonRoot') ?? podSecurity(c.pod, 'runAsNonRoot');
      if (runAsNonRoot !== true) {
        add(
          'run-as-non-root',
          'runAsNonRoot',
          'runAsNonRoot: true (container or pod securityContext)',
          runAsNonRoot,
          'set securityContext.runAsNonRoot: true (and a numeric runAsUser the image supports)',
        );
      }
      if (get(sc, 'allowPrivilegeEscalation') !== false) {
        add(
          'no-privilege-escalation',
          'allowPrivilegeEscalation',
          'allowPrivilegeEscalation: false',
          get(sc, 'allowPrivilegeEscalation'),
          'set securityContext.allowPrivilegeEscalation: false',
        );
      }
      const drop = asArray(get(sc, 'capabilities', 'drop'));
      if (!drop.includes('ALL')) {
        add(
          'drop-all-capabilities',
          'capabilities.drop',
          'capabilities.drop to include ALL',
          get(sc, 'capabilities', 'drop'),
          'set securityContext.capabilities.drop: [ALL] and add back only what the process needs',
        );
      }
      const seccomp =
        get(sc, 'seccompProfile', 'type') ?? get(c.pod.spec, 'securityContext', 'seccompProfile', 'type');
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        add(
          'seccomp-runtime-default',
          'seccompProfile.type',
          'seccompProfile.type: RuntimeDefault (container or pod securityContext)',
          seccomp,
          'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
        );
      }
      return out;
    },
  );
}

/** No host namespaces, hostPath volumes or hostPorts: kube-score 1.20.0 has no test for any of them. */
export function checkHostAccess(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const pod of podTemplates(objects)) {
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (pod.spec[key] === true) {
        out.push(
          finding(pod.r, 'pod-host-namespace', `${pod.specPath}.${key}`, {
            expected: `${key} unset or false`,
            actual: 'true',
            fix: `remove ${key}: true; reach the pod through a Service instead`,
          }),
        );
      }
    }
    asArray(pod.spec.volumes).forEach((volume, i) => {
      if (isRecord(volume) && volume.hostPath !== undefined) {
        out.push(
          finding(pod.r, 'pod-hostpath-volume', `${pod.specPath}.volumes[${i}].hostPath`, {
            expected: 'no hostPath volumes',
            actual: `hostPath ${show(volume.hostPath)}`,
            fix: 'use an emptyDir, a PersistentVolumeClaim or a ConfigMap instead of the node filesystem',
          }),
        );
      }
    });
    for (const c of containersOf(pod)) {
      asArray(c.container.ports).forEach((port, i) => {
        if (isRecord(port) && port.hostPort !== undefined) {
          out.push(
            finding(pod.r, 'container-host-port', `${c.path}.ports[${i}].hostPort`, {
              expected: 'no hostPort',
              actual: show(port.hostPort),
              fix: 'remove hostPort; expose the port through a Service',
            }),
          );
        }
      });
    }
  }
  return out;
}

/**
 * An image whose only colon belongs to a registry port (`localhost:5000/app`) has no tag. kube-score's
 * `container-image-tag` covers a missing or `latest` tag otherwise, but at v1.20.0 (score/container/container.go,
 * containerTag) it takes everything after the last colon as the tag, so it reads `5000/app` as one and passes.
 */
export function checkImageTagAfterRegistryPort(objects: Rendered[]): Finding[] {
  return forContainers(
    objects,
    () => true,
    (c) => {
      const image = c.container.image;
      if (typeof image !== 'string' || image.includes('@')) return [];
      const colon = image.lastIndexOf(':');
      if (colon === -1 || colon > image.lastIndexOf('/')) return [];
      return [
        finding(c.pod.r, 'image-tag-after-registry-port', `${c.path}.image`, {
          expected: `container "${c.name}" image pinned to an exact tag or digest after the registry host:port`,
          actual: `${show(image)}: ${image.slice(0, image.indexOf('/'))} is the registry, the image has no tag`,
          fix: `pin the image, e.g. ${image}:<exact version>`,
        }),
      ];
    },
  );
}

/**
 * No API token in pods that never call the Kubernetes API, and no pod on the default ServiceAccount: kube-score
 * 1.20.0 has no test for either.
 */
export function checkAutomountOff(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  const accounts = new Map<string, Rendered>();
  for (const r of objects) {
    if (r.obj.kind !== 'ServiceAccount') continue;
    accounts.set(`${r.obj.metadata.namespace ?? 'default'}/${r.obj.metadata.name}`, r);
    if (r.obj.automountServiceAccountToken !== false) {
      out.push(
        finding(r, 'serviceaccount-automount', 'automountServiceAccountToken', {
          expected: 'automountServiceAccountToken: false',
          actual: show(r.obj.automountServiceAccountToken),
          fix: 'set automountServiceAccountToken: false on the ServiceAccount',
        }),
      );
    }
  }
  for (const pod of podTemplates(objects)) {
    const name = typeof pod.spec.serviceAccountName === 'string' ? pod.spec.serviceAccountName : 'default';
    if (name === 'default') {
      out.push(
        finding(pod.r, 'pod-service-account', `${pod.specPath}.serviceAccountName`, {
          expected: 'a dedicated ServiceAccount',
          actual: show(pod.spec.serviceAccountName),
          fix: 'create a ServiceAccount for this workload and set serviceAccountName',
        }),
      );
    }
    const account = accounts.get(`${pod.namespace}/${name}`);
    const effective = pod.spec.automountServiceAccountToken ?? account?.obj.automountServiceAccountToken;
    if (effective !== false) {
      out.push(
        finding(pod.r, 'pod-automount', `${pod.specPath}.automountServiceAccountToken`, {
          expected:
            'no service account token mounted (pod or ServiceAccount sets automountServiceAccountToken: false)',
          actual: show(effective),
          fix: 'set automountServiceAccountToken: false on the pod spec or its ServiceAccount',
        }),
      );
    }
  }
  return out;
}

/** Every object (and every pod template) carries the same recommended labels. */
export function checkLabels(objects: Rendered[], keys: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const r of objects) {
    const labels = asStringMap(r.obj.metadata?.labels);
    for (const key of keys.filter((k) => !labels[k])) {
      out.push(
        finding(r, 'metadata-labels', `metadata.labels["${key}"]`, {
          expected: `label ${key}`,
          actual: show(r.obj.metadata?.labels),
          fix: `add ${key} (the kustomization's labels: block sets it on every object)`,
        }),
      );
    }
  }
  for (const pod of podTemplates(objects)) {
    if (pod.r.obj.kind === 'Pod') continue;
    for (const key of keys.filter((k) => !pod.labels[k])) {
      out.push(
        finding(
          pod.r,
          'metadata-labels',
          `${pod.specPath.replace(/\.spec$/, '')}.metadata.labels["${key}"]`,
          {
            expected: `pod template label ${key}`,
            actual: show(pod.labels),
            fix: `add ${key} to the pod template labels (labels: with includeTemplates: true)`,
          },
        ),
      );
    }
  }
  return out;
}

function findWorkload(objects: Rendered[], kind: string, name: string): Rendered | undefined {
  return objects.find((r) => r.obj.kind === kind && r.obj.metadata.name === name);
}

/** The HorizontalPodAutoscaler (autoscaling/v2) whose scaleTargetRef is this workload, if any. */
export function autoscalerFor(objects: Rendered[], r: Rendered): Rendered | undefined {
  const namespace = r.obj.metadata.namespace ?? 'default';
  return objects.find(
    (o) =>
      o.obj.kind === 'HorizontalPodAutoscaler' &&
      (o.obj.metadata.namespace ?? 'default') === namespace &&
      get(o.obj, 'spec', 'scaleTargetRef', 'kind') === r.obj.kind &&
      get(o.obj, 'spec', 'scaleTargetRef', 'name') === r.obj.metadata.name,
  );
}

/**
 * The fewest replicas the workload runs: the HPA's minReplicas when one targets it (a rendered chart leaves
 * spec.replicas out then, so the HPA owns the count), else spec.replicas (default 1).
 */
function lowestReplicas(objects: Rendered[], r: Rendered): { value: unknown; from: Rendered; path: string } {
  const hpa = autoscalerFor(objects, r);
  if (hpa) return { value: get(hpa.obj, 'spec', 'minReplicas') ?? 1, from: hpa, path: 'spec.minReplicas' };
  return { value: get(r.obj, 'spec', 'replicas') ?? 1, from: r, path: 'spec.replicas' };
}

function missingWorkload(objects: Rendered[], kind: string, name: string): Finding {
  return {
    rule: 'workload-present',
    file: objects[0]?.file ?? '(rendered output)',
    object: `${kind}/${name}`,
    path: '',
    expected: `a ${kind} named ${name}`,
    actual: `none among ${
      objects
        .filter((o) => o.obj.kind === kind)
        .map((o) => o.obj.metadata.name)
        .join(', ') || `0 ${kind}s`
    }`,
    fix: `restore the ${kind} "${name}" in the manifests`,
  };
}

/**
 * Every PodDisruptionBudget selecting the workload's pods still allows one eviction (minAvailable below the fewest
 * replicas, the HPA's minReplicas when one owns the count), or a node drain hangs. That a PDB exists is kube-score's
 * `deployment-has-poddisruptionbudget`; its `poddisruptionbudget-has-policy` only asks that a policy is set.
 */
export function checkPdbAllowsEviction(objects: Rendered[], kind: string, name: string): Finding[] {
  const r = findWorkload(objects, kind, name);
  if (!r) return [missingWorkload(objects, kind, name)];
  const pod = podTemplates([r])[0];
  const namespace = r.obj.metadata.namespace ?? 'default';
  const pdbs = objects.filter(
    (o) =>
      o.obj.kind === 'PodDisruptionBudget' &&
      (o.obj.metadata.namespace ?? 'default') === namespace &&
      pod !== undefined &&
      selectorMatches(get(o.obj, 'spec', 'selector'), pod.labels),
  );
  const replicas = lowestReplicas(objects, r).value;
  const out: Finding[] = [];
  for (const pdb of pdbs) {
    const minAvailable = get(pdb.obj, 'spec', 'minAvailable');
    if (typeof minAvailable === 'number' && typeof replicas === 'number' && minAvailable >= replicas) {
      out.push(
        finding(pdb, 'pdb-blocks-eviction', 'spec.minAvailable', {
          expected: `minAvailable below the ${replicas} replicas of ${kind}/${name}`,
          actual: String(minAvailable),
          fix: 'use maxUnavailable: 1, so a node drain can always evict one pod',
        }),
      );
    }
  }
  return out;
}

/** A zero-downtime rollout: new pods become Ready before old ones go (`maxUnavailable: 0`). */
export function checkZeroDowntimeRollout(objects: Rendered[], name: string): Finding[] {
  const r = findWorkload(objects, 'Deployment', name);
  if (!r) return [missingWorkload(objects, 'Deployment', name)];
  const strategy = get(r.obj, 'spec', 'strategy');
  const type = get(strategy, 'type') ?? 'RollingUpdate';
  const maxUnavailable = get(strategy, 'rollingUpdate', 'maxUnavailable');
  if (type === 'RollingUpdate' && (maxUnavailable === 0 || maxUnavailable === '0%')) return [];
  return [
    finding(r, 'deployment-rollout', 'spec.strategy.rollingUpdate.maxUnavailable', {
      expected: 'RollingUpdate with maxUnavailable: 0',
      actual: `${show(type)} with maxUnavailable ${show(maxUnavailable)}${maxUnavailable === undefined ? ' (defaults to 25%)' : ''}`,
      fix: 'set strategy.type: RollingUpdate, rollingUpdate.maxUnavailable: 0 and maxSurge: 1',
    }),
  ];
}

/** Spread replicas across nodes/zones, so one node failure does not take every pod. */
export function checkTopologySpread(objects: Rendered[], kind: string, name: string): Finding[] {
  const r = findWorkload(objects, kind, name);
  if (!r) return [missingWorkload(objects, kind, name)];
  const pod = podTemplates([r])[0];
  const constraints = asArray(pod?.spec.topologySpreadConstraints);
  if (constraints.length === 0) {
    return [
      finding(
        r,
        'pod-topology-spread',
        `${pod?.specPath ?? 'spec.template.spec'}.topologySpreadConstraints`,
        {
          expected: 'at least one topologySpreadConstraint',
          actual: 'none',
          fix: 'add topologySpreadConstraints on kubernetes.io/hostname selecting the pod labels',
        },
      ),
    ];
  }
  const out: Finding[] = [];
  constraints.forEach((constraint, i) => {
    if (pod && !selectorMatches(get(constraint, 'labelSelector'), pod.labels)) {
      out.push(
        finding(r, 'pod-topology-spread', `${pod.specPath}.topologySpreadConstraints[${i}].labelSelector`, {
          expected: `a labelSelector matching the pod labels ${show(pod.labels)}`,
          actual: show(get(constraint, 'labelSelector')),
          fix: 'select the pods of this workload, or the constraint spreads nothing',
        }),
      );
    }
  });
  return out;
}

/**
 * The kubelet's SIGKILL must come after the app's own graceful shutdown (delay + drain timeout), otherwise
 * in-flight requests are cut. `shutdownMs` is what the app will take at most, from its config.
 */
export function checkTerminationGrace(objects: Rendered[], name: string, shutdownMs: number): Finding[] {
  const r = findWorkload(objects, 'Deployment', name);
  if (!r) return [missingWorkload(objects, 'Deployment', name)];
  const grace = get(r.obj, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds') ?? 30;
  const needed = Math.ceil(shutdownMs / 1000) + 1;
  if (typeof grace === 'number' && grace >= needed) return [];
  return [
    finding(r, 'pod-termination-grace', 'spec.template.spec.terminationGracePeriodSeconds', {
      expected: `at least ${needed}s (the app's shutdown delay + timeout is ${shutdownMs} ms, plus 1 s)`,
      actual: `${show(grace)}s`,
      fix: `set terminationGracePeriodSeconds: ${needed} or lower SHUTDOWN_TIMEOUT_MS / SHUTDOWN_DELAY_MS`,
    }),
  ];
}

/** Splits `registry:5000/name:tag@digest` into repository and tag (the digest is ignored). */
export function parseImage(image: string): { repository: string; tag?: string } {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash
    ? { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) }
    : { repository: withoutDigest };
}

/**
 * Containers running one of our own images use the tag the build produces (e.g. the app's package version),
 * so the manifests and the image that was built and loaded cannot drift apart.
 */
export function checkImageTags(
  objects: Rendered[],
  expected: readonly { repository: string; tag: string; why: string }[],
): Finding[] {
  return forContainers(
    objects,
    () => true,
    (c) => {
      if (typeof c.container.image !== 'string') return [];
      const { repository, tag } = parseImage(c.container.image);
      const rule = expected.find((e) => e.repository === repository);
      if (!rule || rule.tag === tag) return [];
      return [
        finding(c.pod.r, 'container-image-version', `${c.path}.image`, {
          expected: `${rule.repository}:${rule.tag} (${rule.why})`,
          actual: show(c.container.image),
          fix: `set the image to ${rule.repository}:${rule.tag}, and build and kind load that tag`,
        }),
      ];
    },
  );
}
