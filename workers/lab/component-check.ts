/**
 * The check of one component's document (type, state, random stream) against its type's state
 * schema. The whole-document validation (lab-document.ts) is made of these; a unit runs the one
 * of its own components when it joins them from stored parts, so a saved lab is checked in the
 * workers that run it, in parallel, and not on the page.
 */
import * as v from 'valibot';
import type { ComponentCheck, ComponentType } from './component';

const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff));
const RngSchema = v.tuple([uint32, uint32, uint32, uint32]);

/** The document schema of a component of `type` whose state `state` describes. */
export function componentDocSchema<T extends ComponentType, S extends v.GenericSchema>(type: T, state: S) {
  return v.object({ type: v.literal(type), state, rng: RngSchema });
}

/** A valibot issue as the lab reports it: the JSON path (`.a[0].b`) and a sentence. */
export function describeIssue(issue: v.BaseIssue<unknown>): { path: string; message: string } {
  const path = issue.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('') ?? '';
  const missing = /^Invalid key: Expected (".+") but received undefined$/.exec(issue.message);
  return { path, message: missing ? `the field ${missing[1]} is missing` : issue.message };
}

export function componentCheck(type: ComponentType, state: v.GenericSchema): ComponentCheck {
  const schema = componentDocSchema(type, state);
  return (doc) => {
    const result = v.safeParse(schema, doc, { abortEarly: true });
    return result.success ? undefined : describeIssue(result.issues[0]);
  };
}
