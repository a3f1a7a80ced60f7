/** The Chromium every browser bench launches: Debian's, with the flags the README names (no downloads, no background traffic). */
export const BENCH_CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
