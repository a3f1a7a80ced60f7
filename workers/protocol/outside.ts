/**
 * The one way in for values from outside the program: a parsed file, link or localStorage text,
 * an IndexedDB record, a message's data. Parsers take them as `Outside` and read them only
 * through a schema here (valibot), so every parser of outside input is checked the same way.
 */
import * as v from 'valibot';

/**
 * A value from outside, not yet checked: TypeScript's `unknown` (anything goes in, nothing can be
 * read without a check), named for where it comes from. Read it with parseWith, isWith or formatOf.
 */
export type Outside = unknown;

/** Checks `input` against `schema`: valibot's output, or its issues. */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, config?: v.Config<v.InferIssue<S>>): v.SafeParseResult<S> {
  return v.safeParse(schema, input, config);
}

/** Whether `input` passes `schema`; when it does, it is read as it came (valibot's output would reorder keys and drop unknown ones). */
export function isWith<S extends v.GenericSchema>(schema: S, input: unknown): input is v.InferInput<S> {
  return v.is(schema, input);
}

const Formatted = v.object({ format: v.string() });

/** A caught value as an Error: what browsers throw (DOMException included) is one already; anything else is wrapped. */
export function asError(caught: Outside): Error {
  return caught instanceof Error ? caught : new Error(String(caught));
}

/** The `format` a document names (`dfw-lab/lab@3`), when it is an object that names one. */
export function formatOf(input: Outside): string | undefined {
  return isWith(Formatted, input) ? input.format : undefined;
}
