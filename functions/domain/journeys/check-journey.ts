/**
 * The checks a journey document needs beyond its schema: every step reference names a step, every
 * step is reachable from the first, every path ends in an exit (no step falls off the end of the
 * list, no cycle), outcome tests name send steps, and templates exist. Each problem carries its
 * path in the document (`steps[2].next`), as the schema's field issues do.
 */
import type { FieldIssue, Journey, JourneyStep } from '../../contract';
import { fieldPath, JourneySchema, safeParseWith } from '../../contract';

/** Where a step goes next, with the document path of the field that says so. */
interface Edge {
  readonly path: readonly (string | number)[];
  readonly to: string;
}

/** The steps a step leads to; `fallsOff` when it names no next step and is the last of the list. */
function edgesOf(journey: Journey, step: JourneyStep, index: number): { edges: Edge[]; fallsOff: boolean } {
  const at = (...rest: (string | number)[]) => ['steps', index, ...rest];
  const after = journey.steps[index + 1]?.id;
  const implicit = (field: string, explicit: string | undefined): Edge[] => {
    if (explicit !== undefined) return [{ path: at(field), to: explicit }];
    return after === undefined ? [] : [{ path: at(), to: after }];
  };
  switch (step.type) {
    case 'send':
    case 'wait':
      return { edges: implicit('next', step.next), fallsOff: step.next === undefined && after === undefined };
    case 'waitFor':
      return {
        edges: [
          { path: at('onEvent'), to: step.onEvent },
          { path: at('onTimeout'), to: step.onTimeout },
        ],
        fallsOff: false,
      };
    case 'branch':
      return {
        edges: [
          ...step.cases.map((branchCase, caseIndex) => ({
            path: at('cases', caseIndex, 'next'),
            to: branchCase.next,
          })),
          ...implicit('otherwise', step.otherwise),
        ],
        fallsOff: step.otherwise === undefined && after === undefined,
      };
    case 'split':
      return {
        edges: step.paths.map((path, pathIndex) => ({ path: at('paths', pathIndex, 'next'), to: path.next })),
        fallsOff: false,
      };
    case 'exit':
      return { edges: [], fallsOff: false };
  }
}

/**
 * Every problem of a schema-valid journey. `templates`: the names of the deployed templates (skip
 * the template check when undefined).
 */
export function checkJourney(journey: Journey, templates?: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const issue = (path: readonly (string | number)[], message: string) =>
    issues.push({ field: fieldPath(path), message });
  const ids = new Set(journey.steps.map((step) => step.id));
  const kinds = new Map(journey.steps.map((step) => [step.id, step.type]));
  const graph = new Map<string, Edge[]>();

  journey.steps.forEach((step, index) => {
    const { edges, fallsOff } = edgesOf(journey, step, index);
    if (fallsOff) {
      issue(
        ['steps', index],
        `step without exit: "${step.id}" is the last step and names no next step (add next, or an exit step)`,
      );
    }
    for (const edge of edges) {
      if (!ids.has(edge.to)) issue(edge.path, `unknown step "${edge.to}"`);
      else if (edge.to === step.id) issue(edge.path, `"${step.id}" leads to itself`);
    }
    graph.set(
      step.id,
      edges.filter((edge) => ids.has(edge.to) && edge.to !== step.id),
    );
    if (
      step.type === 'send' &&
      step.template !== undefined &&
      templates !== undefined &&
      !templates.has(step.template)
    ) {
      issue(
        ['steps', index, 'template'],
        `unknown template "${step.template}" (known: ${[...templates].sort().join(', ')})`,
      );
    }
    if (step.type === 'branch') {
      step.cases.forEach((branchCase, caseIndex) => {
        branchCase.when.forEach((condition, conditionIndex) => {
          if (condition.step === undefined) return;
          const path = ['steps', index, 'cases', caseIndex, 'when', conditionIndex, 'step'];
          if (!kinds.has(condition.step)) issue(path, `unknown step "${condition.step}"`);
          else if (kinds.get(condition.step) !== 'send')
            issue(path, `"${condition.step}" is not a send step`);
        });
      });
    }
  });

  const first = journey.steps[0]?.id;
  const reached = new Set<string>();
  const stack = first === undefined ? [] : [first];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const edge of graph.get(id) ?? []) stack.push(edge.to);
  }
  journey.steps.forEach((step, index) => {
    if (!reached.has(step.id))
      issue(['steps', index], `unreachable step "${step.id}": no step leads to it from "${first}"`);
  });

  const cycle = findCycle(journey, graph);
  if (cycle !== undefined) {
    issue(
      cycle.edge.path,
      `a cycle ${cycle.ids.join(' → ')}: journeys are acyclic, so every run reaches an exit`,
    );
  }
  return issues;
}

/** The first cycle found by a depth-first walk, with the edge that closes it. */
function findCycle(
  journey: Journey,
  graph: ReadonlyMap<string, Edge[]>,
): { ids: string[]; edge: Edge } | undefined {
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): { ids: string[]; edge: Edge } | undefined => {
    for (const edge of graph.get(id) ?? []) {
      const back = trail.indexOf(edge.to);
      if (back >= 0) return { ids: [...trail.slice(back), edge.to], edge };
      if (done.has(edge.to)) continue;
      const found = visit(edge.to, [...trail, edge.to]);
      if (found !== undefined) return found;
    }
    done.add(id);
    return undefined;
  };
  for (const step of journey.steps) {
    if (done.has(step.id)) continue;
    const found = visit(step.id, [step.id]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A document read as a journey: the journey when it has no problem, and every problem found. */
export interface JourneyValidation {
  readonly journey?: Journey;
  readonly issues: readonly FieldIssue[];
}

/** Parses a document through the schema, then {@link checkJourney}: every problem, with its path. */
export function validateJourney(document: unknown, templates?: ReadonlySet<string>): JourneyValidation {
  const parsed = safeParseWith(JourneySchema, document);
  if (!parsed.success) return { issues: parsed.issues };
  const issues = checkJourney(parsed.data, templates);
  return issues.length === 0 ? { journey: parsed.data, issues } : { issues };
}
