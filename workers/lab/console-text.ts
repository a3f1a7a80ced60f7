/** Console texts the screens print as a VM's console would (no other imports: the probe panel is in the initial bundle). */
export { ftpOutput } from '../guest/ftp-output';
