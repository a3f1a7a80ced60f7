/** NSX Manager's XML: the shared reader and writer, and the field readers whose refusals are NSX API errors. */
import { ApiError } from './errors';
import type { XmlNode } from '../protocol/nsx-xml';
import { boolField as readBool, intField as readInt, NsxValueError, type Decoded } from '../protocol/nsx/fields';

export * from '../protocol/nsx-xml';

/** A decoded body's value; a body that is not what it should be is a 400 with the decoder's reason (from `moduleName`). */
export function orBadRequest<T>(result: Decoded<T>, moduleName?: string): T {
  if (!result.ok) throw new ApiError('badRequest', result.error.message, moduleName);
  return result.value;
}

/** Runs a reader that throws NsxValueError; its refusal becomes a 400. */
function refusing<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof NsxValueError) throw new ApiError('badRequest', err.message);
    throw err;
  }
}

/** `true` or `false` (any case); anything else, such as `maybe`, is a 400 rather than a silent false. */
export const boolField = (node: XmlNode, name: string, fallback: boolean): boolean => refusing(() => readBool(node, name, fallback));

/** A whole number written as digits (an optional minus); `-1e20`, `1.5` or `0x10` are a 400. */
export const intField = (node: XmlNode, name: string): number | undefined => refusing(() => readInt(node, name));
