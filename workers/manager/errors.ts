/**
 * Refusals of the NSX API. A handler throws ApiError before it touches state, so a refused
 * request never leaves anything half applied. Error codes: NSX-V's real numbers are not in
 * our sources except 110510 (object in use); the others are our own stable choices.
 */
const ERROR_CODES = {
  badXml: 100,
  badRequest: 101,
  notFound: 202,
  methodNotAllowed: 105,
  unsupportedMediaType: 106,
  preconditionFailed: 318,
  defaultSection: 109,
  defaultRule: 110,
  managedSection: 111,
  inUse: 110510,
  duplicate: 210,
} as const;

type ErrorKind = keyof typeof ERROR_CODES;

const STATUS: Record<ErrorKind, number> = {
  badXml: 400,
  badRequest: 400,
  notFound: 404,
  methodNotAllowed: 405,
  unsupportedMediaType: 415,
  preconditionFailed: 412,
  defaultSection: 400,
  defaultRule: 400,
  managedSection: 400,
  inUse: 400,
  duplicate: 400,
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly moduleName = 'vShield App',
  ) {
    super(message);
    this.status = STATUS[kind];
    this.code = ERROR_CODES[kind];
  }
}

export const notFound = (what: string) => new ApiError('notFound', `${what} not found`, 'core-services');
export const badRequest = (message: string) => new ApiError('badRequest', message);
