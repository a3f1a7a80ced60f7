/** `%` or `%zz` in a typed or linked address is not an escape: keep the text as it is rather than throw a URIError. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
