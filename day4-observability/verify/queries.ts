// PromQL and LogQL analysis with the parsers Prometheus' and Grafana's own editors use (lezer grammars): syntax
// errors with their position, and the metrics, label names and matcher values a query refers to.
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parser as logqlParser } from '@grafana/lezer-logql';

/** Node type of the PromQL tree (taken from the parser: @lezer/common ships separate CJS and ESM typings). */
type SyntaxNode = ReturnType<typeof promqlParser.parse>['topNode'];

/** The part of a lezer tree firstError walks; both grammars' trees have it. */
interface Walkable {
  iterate(spec: { enter(node: { type: { isError: boolean }; from: number }): boolean | void }): void;
}

export interface SyntaxProblem {
  /** Character offset of the first error node. */
  at: number;
  /** The query with a marker where the parser gave up. */
  excerpt: string;
}

function firstError(tree: Walkable, text: string): SyntaxProblem | undefined {
  let at: number | undefined;
  tree.iterate({
    enter(node) {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  if (at === undefined) return undefined;
  const oneLine = (s: string) => s.replace(/\s+/g, ' ');
  return {
    at,
    excerpt: `${oneLine(text.slice(Math.max(0, at - 60), at))} ⟨HERE⟩ ${oneLine(text.slice(at, at + 30))}`,
  };
}

export function promqlSyntaxError(expr: string): SyntaxProblem | undefined {
  return firstError(promqlParser.parse(expr), expr);
}

export function logqlSyntaxError(expr: string): SyntaxProblem | undefined {
  return firstError(logqlParser.parse(expr), expr);
}

export interface LabelUse {
  name: string;
  /** Set for equality matchers (`le="0.25"`), whose value can be compared with what the metric really has. */
  equals?: string;
}

/** A vector selector: metric name (undefined for `{__name__=~...}`) and the labels its matchers name. */
export interface SelectorUse {
  metric: string | undefined;
  labels: LabelUse[];
}

export interface PromqlUses {
  selectors: SelectorUse[];
  /** Labels named in `by (...)`, `without (...)`, `on (...)`, `ignoring (...)` and `group_left/right (...)`. */
  groupingLabels: string[];
}

const unquote = (s: string) => s.replace(/^["'`]|["'`]$/g, '');

function childrenNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling)
    if (child.name === name) out.push(child);
  return out;
}

/** Which metrics and labels a (syntactically valid) PromQL expression uses. */
export function promqlUses(expr: string): PromqlUses {
  const tree = promqlParser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const selectors: SelectorUse[] = [];
  const groupingLabels: string[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'VectorSelector') {
        const node = ref.node;
        const identifier = childrenNamed(node, 'Identifier')[0];
        const labels: LabelUse[] = [];
        for (const matchers of childrenNamed(node, 'LabelMatchers')) {
          for (let m = matchers.firstChild; m; m = m.nextSibling) {
            const name = m.getChild('LabelName');
            const op = m.getChild('MatchOp');
            const value = m.getChild('StringLiteral');
            if (!name) continue;
            const equals = op?.getChild('EqlSingle') && value ? unquote(text(value)) : undefined;
            labels.push({ name: text(name), ...(equals !== undefined ? { equals } : {}) });
          }
        }
        selectors.push({ metric: identifier ? text(identifier) : undefined, labels });
        return false;
      }
      if (ref.name === 'GroupingLabels') {
        for (const label of childrenNamed(ref.node, 'LabelName')) groupingLabels.push(text(label));
      }
      return undefined;
    },
  });
  return { selectors, groupingLabels };
}

export interface LogqlUses {
  /** Stream selector matchers: these are Loki's indexed labels. */
  streamLabels: LabelUse[];
}

export function logqlUses(expr: string): LogqlUses {
  const tree = logqlParser.parse(expr);
  const streamLabels: LabelUse[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'Selector') {
        ref.node
          .getChild('Matchers')
          ?.getChildren('Matcher')
          .forEach((m) => {
            const id = m.getChild('Identifier');
            const value = m.getChild('String');
            if (!id) return;
            const equals = m.getChild('Eq') && value ? unquote(expr.slice(value.from, value.to)) : undefined;
            streamLabels.push({
              name: expr.slice(id.from, id.to),
              ...(equals !== undefined ? { equals } : {}),
            });
          });
        return false;
      }
      return undefined;
    },
  });
  return { streamLabels };
}

/**
 * Grafana replaces template variables before a query reaches the data source; the parser sees what Prometheus or
 * Loki would. Unknown variables are reported, not guessed.
 */
export const dashboardVariableSamples: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  route: '.+',
};

export function substituteVariables(expr: string): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const text = expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const sample = dashboardVariableSamples[name];
    if (sample === undefined) {
      unknown.push(name);
      return whole;
    }
    return sample;
  });
  return { text, unknown };
}
