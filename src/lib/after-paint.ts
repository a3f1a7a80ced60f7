/**
 * Resolves once the page has painted what it has rendered so far: a frame, then a task after
 * it. A background tab gets no frames, so it resolves after a short while there too.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 250);
  });
}
