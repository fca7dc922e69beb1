// Checks workflows that use this action with GitHub's own parser (@actions/workflow-parser: the schema and
// expression checks of the Actions service), then what the parser cannot know: that every `with:` key of a
// step using the action is an input of action.yml and every `steps.<id>.outputs.<name>` of such a step one
// of its outputs.
import { registerHooks } from 'node:module';
import type { TemplateContext } from '@actions/workflow-parser/templates/template-context';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';

// The package (0.3.61) imports its JSON schemas without `with { type: 'json' }`, which Node refuses
// (ERR_IMPORT_ATTRIBUTE_MISSING, actions/languageservices#387); vitest loads it natively from node_modules.
// This hook adds the attribute to those imports only, then the package loads unchanged.
registerHooks({
  load(url, context, nextLoad) {
    if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json') && !context.importAttributes.type)
      return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
    return nextLoad(url, context);
  },
});
const { NoOperationTraceWriter, isBasicExpression, isMapping, isSequence, isString, parseWorkflow } =
  await import('@actions/workflow-parser');
const { convertActionTemplate, parseAction } = await import('@actions/workflow-parser/actions/index');

export const ACTION = 'org/ecr-deploy';

export interface ActionContract {
  readonly inputs: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
}

function parserErrors(context: TemplateContext): string[] {
  return context.errors.getErrors().map((e) => e.message);
}

/** action.yml's inputs and outputs, read with the same parser (its own errors fail loudly). */
export async function actionContract(content: string): Promise<ActionContract> {
  const trace = new NoOperationTraceWriter();
  const parsed = parseAction({ name: 'action.yml', content }, trace);
  const errors = parserErrors(parsed.context);
  if (errors.length > 0 || !parsed.value) throw new Error(`action.yml: ${errors.join('; ')}`);
  const template = await convertActionTemplate(parsed.context, parsed.value);
  return {
    inputs: new Set((template.inputs ?? []).map((i) => i.id)),
    outputs: new Set((template.outputs ?? []).map((o) => o.id)),
  };
}

function where(name: string, token: TemplateToken): string {
  return `${name} (Line: ${token.line ?? '?'}, Col: ${token.col ?? '?'})`;
}

/** Every expression (`${{ … }}`, already without its markers) under a token, keys included. */
function expressions(token: TemplateToken): { expression: string; token: TemplateToken }[] {
  if (isBasicExpression(token)) return [{ expression: token.expression, token }];
  if (isMapping(token))
    return [...token].flatMap((pair) => [...expressions(pair.key), ...expressions(pair.value)]);
  if (isSequence(token)) return [...token].flatMap((item) => expressions(item));
  return [];
}

function mapping(token: TemplateToken | undefined): Map<string, TemplateToken> {
  const result = new Map<string, TemplateToken>();
  if (token && isMapping(token))
    for (const pair of token) if (isString(pair.key)) result.set(pair.key.value, pair.value);
  return result;
}

export interface WorkflowCheck {
  /** Everything wrong, each with file, line and column. Empty: the workflow is fine. */
  readonly problems: string[];
  /** How many steps use the action (a check that found none has checked nothing). */
  readonly actionSteps: number;
}

/** Parses one workflow and checks each use of the action against its contract. */
export async function checkWorkflow(
  name: string,
  content: string,
  contract: ActionContract,
): Promise<WorkflowCheck> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const problems = parserErrors(parsed.context);
  let actionSteps = 0;
  const jobs = mapping(mapping(parsed.value).get('jobs'));
  for (const [jobId, job] of jobs) {
    const stepsToken = mapping(job).get('steps');
    const stepIds = new Set<string>();
    const actionStepIds = new Set<string>();
    for (const step of stepsToken && isSequence(stepsToken) ? [...stepsToken] : []) {
      const fields = mapping(step);
      const id = fields.get('id');
      if (id && isString(id)) stepIds.add(id.value);
      const uses = fields.get('uses');
      if (!uses || !isString(uses) || !uses.value.startsWith(`${ACTION}@`)) continue;
      actionSteps += 1;
      if (id && isString(id)) actionStepIds.add(id.value);
      const withToken = fields.get('with');
      if (withToken && isMapping(withToken))
        for (const pair of withToken) {
          const key = isString(pair.key) ? pair.key.value : String(pair.key);
          if (!contract.inputs.has(key))
            problems.push(`${where(name, pair.key)}: job ${jobId}: "${key}" is not an input of ${ACTION}`);
        }
    }
    for (const { expression, token } of expressions(job))
      for (const m of expression.matchAll(/\bsteps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)) {
        const [, stepId, output] = m as unknown as [string, string, string];
        if (!stepIds.has(stepId))
          problems.push(`${where(name, token)}: job ${jobId}: no step has the id "${stepId}"`);
        else if (actionStepIds.has(stepId) && !contract.outputs.has(output))
          problems.push(`${where(name, token)}: job ${jobId}: "${output}" is not an output of ${ACTION}`);
      }
  }
  return { problems, actionSteps };
}

export interface Snippet {
  /** `README.md:<line of the opening fence>` */
  readonly name: string;
  /** The block as a complete workflow (a bare list of steps wrapped into a one-job workflow). */
  readonly workflow: string;
}

/** The ```yaml blocks of a Markdown text that use the action. */
export function workflowSnippets(markdown: string, file = 'README.md'): Snippet[] {
  const snippets: Snippet[] = [];
  for (const m of markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)) {
    const block = m[1]!;
    if (!new RegExp(`uses:\\s*${ACTION}@`).test(block)) continue;
    const line = markdown.slice(0, m.index).split('\n').length;
    snippets.push({ name: `${file}:${line}`, workflow: asWorkflow(block) });
  }
  return snippets;
}

/** A block that is only a list of steps becomes the steps of a minimal workflow; a workflow stays as it is. */
export function asWorkflow(block: string): string {
  if (!/^\s*- /.test(block)) return block;
  const steps = block
    .split('\n')
    .map((l) => (l ? `      ${l}` : l))
    .join('\n');
  return `on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
}
