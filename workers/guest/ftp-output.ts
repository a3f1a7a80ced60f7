/** The console text of an `ftp` session (no imports: the probe panel in the initial bundle uses it too). */

/** What netkit ftp prints for a session: the transcript, and why it stopped when a connection failed. */
export function ftpOutput(r: { finished: boolean; refused: boolean; transcript: string }): string {
  if (r.finished) return r.transcript;
  const error = `ftp: connect: ${r.refused ? 'Connection refused' : 'Connection timed out'}`;
  const lines = r.transcript.split('\n');
  // Nothing came back on the control connection: ftp prints only the error.
  return lines.length <= 1 ? error : `${r.transcript}\n${error}`;
}
