/** The "Open:" links under a step: the screens its text names, the page it names rather than its menu. */
import { describe, expect, it } from 'vitest';
import { screenLinks } from '../../src/lesson/screen-links';

const titles = (text: string) => screenLinks(text).map((l) => l.title);

describe('screenLinks', () => {
  it('a page named after its menu links that page, not the Firewall', () => {
    expect(titles('Look at **Charts** and at Networking & Security → **Events & audit**: the alarm is there.')).toEqual(['Charts', 'Events & audit']);
  });

  it('the menu alone, or the Firewall named after it, links the Firewall', () => {
    expect(titles('Open Networking & Security and edit rule 1001.')).toEqual(['Firewall']);
    expect(titles('Networking & Security → Firewall, then **Publish**.')).toEqual(['Firewall']);
  });

  it('a page named in a route after an arrow links that page', () => {
    expect(titles('- **Screens:** Networking & Security → **Installation** → *Service deployments* → **Deploy**.')).toEqual(['Installation']);
    expect(titles('- **Screens:** Installation → *Service deployments* → Failure policy **failOpen** → **Save**.')).toEqual(['Installation']);
    expect(titles('Installation is done when every host is green.')).toEqual([]);
  });
});
