/** A valibot record that is a plain object: valibot's own record also takes an array (and turns it into an object). */
import * as v from 'valibot';

export const recordOf = <V extends v.GenericSchema>(value: V) =>
  v.pipe(
    v.unknown(),
    v.check((x) => !Array.isArray(x), 'Invalid type: Expected an object (by name) but received a list'),
    v.record(v.string(), value),
  );
