import { asArray, finding, get, isRecord, type Finding, type Rendered } from './types';
import { containersOf, podTemplates, selectorMatches } from './workloads';

/*
 * A small NetworkPolicy evaluator (the semantics of networking.k8s.io/v1, as Calico, Cilium and kindnet apply
 * them): a pod with no policy selecting it for a direction allows everything in that direction; once one does,
 * only what some rule allows gets through, and a connection needs both the sender's egress and the receiver's
 * ingress. We enumerate every pair of endpoints and port, so "allow nothing else" is checked, not assumed.
 */

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface Endpoint {
  /** Short id used in flows and messages: the workload name, or e.g. `ingress-controller`. */
  id: string;
  /** Undefined for addresses outside the cluster. */
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  labels: Record<string, string>;
  ports: EndpointPort[];
  /** For endpoints outside the cluster, matched by ipBlock rules. */
  ip?: string;
}

export interface Flow {
  from: string;
  to: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
  /** Why the app needs it, printed when it is blocked. */
  why?: string;
}

interface Policy {
  r: Rendered;
  namespace: string;
  podSelector: unknown;
  types: string[];
  ingress: unknown[];
  egress: unknown[];
}

function policiesOf(objects: Rendered[]): Policy[] {
  return objects
    .filter((r) => r.obj.kind === 'NetworkPolicy')
    .map((r) => {
      const spec = get(r.obj, 'spec');
      const declared = asArray(get(spec, 'policyTypes')).map(String);
      const types =
        declared.length > 0
          ? declared
          : ['Ingress', ...(get(spec, 'egress') !== undefined ? ['Egress'] : [])];
      return {
        r,
        namespace: r.obj.metadata.namespace ?? 'default',
        podSelector: get(spec, 'podSelector') ?? {},
        types,
        ingress: asArray(get(spec, 'ingress')),
        egress: asArray(get(spec, 'egress')),
      };
    });
}

/** The pods of the rendered workloads as endpoints, with the namespace label Kubernetes sets automatically. */
export function workloadEndpoints(objects: Rendered[], defaultNamespace = 'default'): Endpoint[] {
  return podTemplates(objects, defaultNamespace).map((pod) => ({
    id: pod.r.obj.metadata.name,
    namespace: pod.namespace,
    namespaceLabels: { 'kubernetes.io/metadata.name': pod.namespace },
    labels: pod.labels,
    ports: containersOf(pod, false).flatMap((c) =>
      asArray(c.container.ports)
        .filter(isRecord)
        .map((p) => ({
          name: typeof p.name === 'string' ? p.name : undefined,
          port: Number(p.containerPort),
          protocol: (typeof p.protocol === 'string' ? p.protocol : 'TCP') as EndpointPort['protocol'],
        })),
    ),
  }));
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (!base || bits === undefined || base.includes(':') || ip.includes(':')) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base) / size);
}

function peerMatches(peer: unknown, policyNamespace: string, target: Endpoint): boolean {
  const ipBlock = get(peer, 'ipBlock');
  if (isRecord(ipBlock)) {
    if (!target.ip || typeof ipBlock.cidr !== 'string' || !inCidr(target.ip, ipBlock.cidr)) return false;
    return !asArray(ipBlock.except).some((cidr) => inCidr(target.ip!, String(cidr)));
  }
  if (target.namespace === undefined) return false;
  const namespaceSelector = get(peer, 'namespaceSelector');
  const podSelector = get(peer, 'podSelector');
  if (namespaceSelector !== undefined) {
    if (!selectorMatches(namespaceSelector, target.namespaceLabels ?? {})) return false;
    return podSelector === undefined || selectorMatches(podSelector, target.labels);
  }
  return (
    target.namespace === policyNamespace &&
    podSelector !== undefined &&
    selectorMatches(podSelector, target.labels)
  );
}

function portMatches(rulePorts: unknown[], destination: Endpoint, port: number, protocol: string): boolean {
  if (rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((get(p, 'protocol') ?? 'TCP') !== protocol) return false;
    const rulePort = get(p, 'port');
    if (rulePort === undefined) return true;
    if (typeof rulePort === 'string')
      return destination.ports.some((dp) => dp.name === rulePort && dp.port === port);
    const endPort = get(p, 'endPort');
    return typeof endPort === 'number' ? port >= Number(rulePort) && port <= endPort : rulePort === port;
  });
}

type Verdict = { allowed: true } | { allowed: false; side: 'egress' | 'ingress'; policies: string[] };

function selecting(policies: Policy[], endpoint: Endpoint, type: string): Policy[] {
  return policies.filter(
    (p) =>
      p.types.includes(type) &&
      endpoint.namespace === p.namespace &&
      selectorMatches(p.podSelector, endpoint.labels),
  );
}

function evaluate(policies: Policy[], from: Endpoint, to: Endpoint, port: number, protocol: string): Verdict {
  const egress = selecting(policies, from, 'Egress');
  if (
    egress.length > 0 &&
    !egress.some((p) =>
      p.egress.some((rule) => {
        const peers = get(rule, 'to');
        const peerOk =
          peers === undefined || asArray(peers).some((peer) => peerMatches(peer, p.namespace, to));
        return peerOk && portMatches(asArray(get(rule, 'ports')), to, port, protocol);
      }),
    )
  ) {
    return { allowed: false, side: 'egress', policies: egress.map((p) => p.r.obj.metadata.name) };
  }
  const ingress = selecting(policies, to, 'Ingress');
  if (
    ingress.length > 0 &&
    !ingress.some((p) =>
      p.ingress.some((rule) => {
        const peers = get(rule, 'from');
        const peerOk =
          peers === undefined || asArray(peers).some((peer) => peerMatches(peer, p.namespace, from));
        return peerOk && portMatches(asArray(get(rule, 'ports')), to, port, protocol);
      }),
    )
  ) {
    return { allowed: false, side: 'ingress', policies: ingress.map((p) => p.r.obj.metadata.name) };
  }
  return { allowed: true };
}

/** Whether the policies in `objects` let `from` open a connection to `to` on a port. */
export function isFlowAllowed(
  objects: Rendered[],
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  return evaluate(policiesOf(objects), from, to, port, protocol).allowed;
}

export interface NetworkPolicyExpectation {
  namespace: string;
  /** Endpoints beyond the rendered workloads: the ingress controller, cluster DNS, the internet, another namespace. */
  extraEndpoints: Endpoint[];
  /** Exactly the flows the app needs. */
  flows: Flow[];
  /** File to name when a required policy is missing altogether. */
  file: string;
}

const label = (e: Endpoint): string =>
  e.namespace ? `${e.id} (${e.namespace})` : `${e.id} (${e.ip ?? 'outside'})`;

/** A default-deny policy: selects every pod of the namespace for both directions and allows nothing. */
export function checkDefaultDeny(
  objects: Rendered[],
  x: Pick<NetworkPolicyExpectation, 'namespace' | 'file'>,
): Finding[] {
  const policies = policiesOf(objects).filter((p) => p.namespace === x.namespace);
  const out: Finding[] = [];
  for (const type of ['Ingress', 'Egress']) {
    const denyAll = policies.some(
      (p) =>
        p.types.includes(type) &&
        isRecord(p.podSelector) &&
        Object.keys(p.podSelector).length === 0 &&
        (type === 'Ingress' ? p.ingress : p.egress).length === 0,
    );
    if (denyAll) continue;
    out.push({
      rule: 'networkpolicy-default-deny',
      file: x.file,
      object: `${x.namespace}/NetworkPolicy/default-deny`,
      path: '',
      expected: `a NetworkPolicy with podSelector: {} and policyTypes containing ${type}, with no ${type.toLowerCase()} rules`,
      actual: `policies in ${x.namespace}: ${policies.map((p) => `${p.r.obj.metadata.name} [${p.types.join(', ')}]`).join('; ') || 'none'}`,
      fix: `restore the default-deny policy (podSelector: {}, policyTypes: [Ingress, Egress]); without it every ${type.toLowerCase()} flow not covered by another policy is open`,
    });
  }
  return out;
}

/** Every required flow is allowed, and no other flow between the known endpoints is. */
export function checkNetworkFlows(objects: Rendered[], x: NetworkPolicyExpectation): Finding[] {
  const policies = policiesOf(objects);
  const endpoints = [...workloadEndpoints(objects, x.namespace), ...x.extraEndpoints];
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const pods = new Map(podTemplates(objects, x.namespace).map((pod) => [pod.r.obj.metadata.name, pod]));
  /** `id|port|protocol` of workloads not listening on a port a required flow needs: their ports are the mistake. */
  const misported = new Set<string>();
  const out: Finding[] = [];
  const base = { file: x.file, path: '' };
  for (const flow of x.flows) {
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!from || !to) {
      out.push({
        ...base,
        rule: 'networkpolicy-flow',
        object: `flow ${flow.from} -> ${flow.to}:${flow.port}`,
        expected: `endpoints ${flow.from} and ${flow.to} to exist`,
        actual: `known endpoints: ${[...byId.keys()].join(', ')}`,
        fix: 'restore the workload, or update the expected flows of this check',
      });
      continue;
    }
    const protocol = flow.protocol ?? 'TCP';
    const verdict = evaluate(policies, from, to, flow.port, protocol);
    if (verdict.allowed) continue;
    const pod = pods.get(to.id);
    if (pod && !to.ports.some((p) => p.port === flow.port && p.protocol === protocol)) {
      // A policy admitting a named port follows the containerPort, so a wrong containerPort shows up as a blocked
      // flow; opening the policy would not help, as nothing listens there. Blame the workload (issue 19).
      const key = `${to.id}|${flow.port}|${protocol}`;
      if (misported.has(key)) continue; // one finding per wrong port, however many flows need it
      misported.add(key);
      out.push(
        finding(pod.r, 'networkpolicy-flow-port', `${pod.specPath}.containers[].ports`, {
          expected: `a containerPort ${flow.port}/${protocol}: the port ${to.id} listens on${flow.why ? ` (${flow.why})` : ''}`,
          actual: `containerPorts: ${to.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ') || 'none'}`,
          fix: `set the containerPort back to ${flow.port}, the port the app listens on; the NetworkPolicies (and the Service, through the port name) follow it`,
        }),
      );
      continue;
    }
    const blocker = verdict.policies.map((name) => policies.find((p) => p.r.obj.metadata.name === name)!);
    out.push({
      rule: 'networkpolicy-flow',
      file: blocker[0]?.r.file ?? x.file,
      object: `flow ${label(from)} -> ${label(to)}:${flow.port}/${flow.protocol ?? 'TCP'}`,
      path: '',
      expected: `allowed${flow.why ? ` (${flow.why})` : ''}`,
      actual: `blocked on ${verdict.side}: ${verdict.side === 'egress' ? from.id : to.id} is selected by ${verdict.policies.join(', ')} and no ${verdict.side} rule admits ${verdict.side === 'egress' ? to.id : from.id} on ${flow.port}/${flow.protocol ?? 'TCP'}`,
      fix: `add ${verdict.side === 'egress' ? `an egress rule to ${to.id}` : `an ingress rule from ${from.id}`} on port ${flow.port} (check the podSelector labels and the port)`,
    });
  }
  const expected = new Set(x.flows.map((f) => `${f.from}|${f.to}|${f.port}|${f.protocol ?? 'TCP'}`));
  for (const from of endpoints) {
    for (const to of endpoints) {
      if (from === to || (from.namespace !== x.namespace && to.namespace !== x.namespace)) continue;
      for (const p of to.ports) {
        if (expected.has(`${from.id}|${to.id}|${p.port}|${p.protocol}`)) continue;
        // Its wrong containerPort is reported above, against the workload.
        if ([...misported].some((key) => key.startsWith(`${to.id}|`))) continue;
        if (!evaluate(policies, from, to, p.port, p.protocol).allowed) continue;
        const admitting = [
          ...selecting(policies, from, 'Egress').map((q) => q.r.obj.metadata.name),
          ...selecting(policies, to, 'Ingress').map((q) => q.r.obj.metadata.name),
        ];
        out.push({
          ...base,
          rule: 'networkpolicy-least-privilege',
          object: `flow ${label(from)} -> ${label(to)}:${p.port}/${p.protocol}`,
          path: '',
          expected: 'blocked (the app does not need this flow)',
          actual: `allowed${admitting.length > 0 ? ` by ${[...new Set(admitting)].join(', ')}` : ' (no policy selects these pods)'}`,
          fix: 'narrow the podSelector / namespaceSelector / ports of the policy that admits it',
        });
      }
    }
  }
  return out;
}
