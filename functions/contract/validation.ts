/**
 * Turning zod issues into errors a publisher can read: one line per field, in plain words.
 */
import { z } from 'zod';

/** One problem with one field. `field` is a path such as `routing.channels[1]`, or `(request)`. */
export const FieldIssueSchema = z.strictObject({ field: z.string(), message: z.string() });
/** One problem with one field. */
export type FieldIssue = Readonly<z.infer<typeof FieldIssueSchema>>;

/** An input did not match the contract. Carries every problem found, not just the first. */
export class ContractValidationError extends Error {
  /** Each field's problem. */
  readonly issues: readonly FieldIssue[];
  constructor(what: string, issues: readonly FieldIssue[]) {
    super(`Invalid ${what}: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`);
    this.name = 'ContractValidationError';
    this.issues = issues;
  }
}

/** A parse result that never throws. */
export type ParseResult<T> = { success: true; data: T } | { success: false; issues: FieldIssue[] };

/** Renders a zod path (`['routing', 'channels', 1]`) as `routing.channels[1]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(request)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

/** Turns zod issues into field issues with plain-word messages. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_key') {
      const reason = issue.issues[0]?.message ?? 'is not an allowed key';
      return [{ field: fieldPath(issue.path), message: reason }];
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.path.length > 0) {
      return [{ field: fieldPath(issue.path), message: issue.message }];
    }
    if (issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined) {
      return [{ field: fieldPath(issue.path), message: 'is required' }];
    }
    return [{ field: fieldPath(issue.path), message: plainMessage(issue) }];
  });
}

function plainMessage(issue: z.core.$ZodIssue): string {
  // Zod's defaults begin "Invalid input: expected …"; keep the useful part.
  return issue.message.replace(/^Invalid input: /, '').replace(/^expected /, 'must be ');
}

/** Parses without throwing, returning field issues on failure. */
export function safeParseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.infer<S>> {
  // reportInput lets a missing field be told apart from a wrong one ("is required").
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: toFieldIssues(result.error.issues) };
}

/** Parses or throws a {@link ContractValidationError} naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = safeParseWith(schema, input);
  if (!result.success) throw new ContractValidationError(what, result.issues);
  return result.data;
}
