/** The host preparation lesson's steps link the screens they name: the Installation page first, not the Firewall. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenLinks } from '../../src/lesson/screen-links';

const lesson = JSON.parse(readFileSync('public/scenarios/host-preparation.json', 'utf8')) as { steps: { say: string }[] };

describe('host preparation lesson links', () => {
  it('step 2 opens the Installation page and the REST API, and names no unrelated screen', () => {
    expect(screenLinks(lesson.steps[1]!.say).map((l) => l.href)).toEqual(['#/nsx/installation', '#/rest']);
  });
});
