/**
 * Argument checks for ESXi commands the lab answers with fixed listings, so a mistyped line
 * gets the real tool's complaint instead of a listing it did not ask for. esxcli answers an
 * unknown command with "Error: Unknown command or namespace …"; esxcfg-advcfg with its usage.
 */
const ESXCLI_COMMANDS = ['network vm list', 'network ip connection list', 'software vib list'];

const ADVCFG_OPTIONS = [
  '/UserVars/RmqIpAddress', '/UserVars/RmqPort', '/UserVars/RmqVHost', '/UserVars/RmqUsername',
  '/UserVars/RmqSslCertSha1ThumbprintBase64', '/UserVars/RmqHostId', '/Net/TcpipHeapSize', '/Net/TcpipHeapMax',
];

const ADVCFG_USAGE = [
  'Usage: esxcfg-advcfg <options> [<adv cfg Path>]',
  '   -g|--get              Get the value of the VMkernel advanced configuration option',
  '   -l|--list             List all VMkernel advanced configuration options',
  '   -h|--help             Show this message.',
].join('\n');

/** An error text for a malformed line, or undefined when the command may run. */
export function validateHostCommand(cmd: string): string | undefined {
  const words = cmd.split(' ').filter(Boolean);
  if (words[0] === 'esxcli') {
    const rest = words.slice(1).join(' ');
    if (rest === '') return 'Usage: esxcli [options] {namespace}+ {cmd} [cmd options]\n\nAvailable Namespaces:\n  network     Operations that pertain to the maintenance of networking on the host.\n  software    Manage the ESXi software image and packages';
    if (!ESXCLI_COMMANDS.includes(rest)) return `Error: Unknown command or namespace ${rest}`;
  }
  if (words[0] === 'esxcfg-advcfg') {
    const [flag, path, ...extra] = words.slice(1);
    if (flag === '-h' || flag === '--help') return ADVCFG_USAGE;
    if ((flag === '-l' || flag === '--list') && path === undefined) return undefined;
    if (flag === '-g' || flag === '--get') {
      if (path === undefined || extra.length) return ADVCFG_USAGE;
      if (!ADVCFG_OPTIONS.includes(path)) return `Error: Unable to find option ${path.split('/').pop()}`;
      return undefined;
    }
    return ADVCFG_USAGE;
  }
  if (words[0] === 'vsipioctl') {
    const known = ['getfilters', 'getrules', 'getaddrsets', 'getflows', 'getfilterstat', 'gettimeout', 'getmeminfo'];
    const sub = words[1];
    if (sub !== undefined && !known.includes(sub)) return `vsipioctl: unknown command '${sub}'\nvsipioctl: usage: vsipioctl ${known.join(' | ')} [-f <filter>]`;
    const opts = words.slice(2);
    for (let i = 0; i < opts.length; i++) {
      if (opts[i] === '-f') {
        if (opts[i + 1] === undefined || opts[i + 1]!.startsWith('-')) return `vsipioctl ${sub}: option -f needs a filter name (summarize-dvfilter lists them)`;
        i++;
      } else return `vsipioctl ${sub}: unknown option '${opts[i]}'`;
    }
  }
  return undefined;
}
