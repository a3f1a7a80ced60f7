export { summarizeDvfilter } from './summarize-dvfilter';
export { getrules, getaddrsets } from './vsipioctl-rules';
export { getfilters, getflows, getfilterstat, getmeminfo, gettimeout } from './vsipioctl-state';
