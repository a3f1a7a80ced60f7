/** The lesson an address opens (`#/scenario/<id>`, or a step of it), or undefined for any other address. */
export const lessonLinkOf = (hash: string): string | undefined => /^#\/scenario\/([a-z0-9-]+)(?:\/step\/\d+)?$/.exec(hash)?.[1];
