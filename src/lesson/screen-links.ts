/**
 * The screens a step's text names, as links: "open the Firewall" becomes a link that opens it.
 * Matched on whole words, most specific first, each screen once, in the order the text names them.
 */
interface ScreenLink {
  title: string;
  href: string;
}

const SCREENS: { pattern: RegExp; title: string; href: string }[] = [
  // "Networking & Security → **Installation** → …" and "Installation → …" name the page too (partner-redirect's steps).
  { pattern: /\bInstallation (?:screen|page)\b|\bhost preparation (?:screen|page|tab)\b|(?:→|->)\s*\**Installation\b|\bInstallation\**\s*(?:→|->)/i, title: 'Installation', href: '#/nsx/installation' },
  { pattern: /\bsaved configurations?\b/i, title: 'Saved configurations', href: '#/nsx/saved' },
  { pattern: /\bexclusion list\b/i, title: 'Exclusion list', href: '#/nsx/exclusion' },
  { pattern: /\bspoofguard\b/i, title: 'SpoofGuard', href: '#/nsx/spoofguard' },
  { pattern: /\bservice composer\b/i, title: 'Service Composer', href: '#/nsx/composer' },
  { pattern: /\bflow monitoring\b/i, title: 'Flow monitoring', href: '#/nsx/flows' },
  { pattern: /\bpublish status\b/i, title: 'Publish status', href: '#/nsx/status' },
  { pattern: /\bevents (?:&|and) audit\b/i, title: 'Events & audit', href: '#/nsx/events' },
  // "Networking & Security → Events & audit" names that page, not the Firewall.
  { pattern: /\bfirewall (?:screen|page|table|tab)\b|\bNetworking (?:&|and) Security\b(?!\s*(?:→|->))|\bFirewall\b(?! rule)/, title: 'Firewall', href: '#/nsx/firewall' },
  { pattern: /\bhosts and clusters\b|\binventory\b|\bvSphere client\b/i, title: 'Hosts and Clusters', href: '#/' },
  { pattern: /\bconsoles?\b|\bESXi shell\b/i, title: 'Consoles', href: '#/consoles' },
  { pattern: /\bREST (?:API|client)\b|\bcurl\b/i, title: 'REST API', href: '#/rest' },
  { pattern: /\btopology\b|\btrace\b/i, title: 'Topology', href: '#/topology' },
  { pattern: /\bcharts?\b|\bthresholds?\b/i, title: 'Charts', href: '#/charts' },
  { pattern: /\bmessage bus\b|\bbus sniffer\b/i, title: 'Bus', href: '#/bus' },
];

export function screenLinks(text: string): ScreenLink[] {
  const found: { at: number; link: ScreenLink }[] = [];
  for (const s of SCREENS) {
    const m = s.pattern.exec(text);
    if (m && !found.some((f) => f.link.href === s.href)) found.push({ at: m.index, link: { title: s.title, href: s.href } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.link);
}
