import { describe, expect, it } from 'vitest';
import { partnerShown, redirectFormProblem } from '../../src/lib/nsx/redirect-form';

const acme = { id: 'serviceprofile-1', name: 'Acme IPS' };
const other = { id: 'serviceprofile-2', name: 'Other IDS' };

describe('partner redirect rule form', () => {
  it('shows the only registered partner before the learner picks one, and asks when there are several', () => {
    expect(partnerShown([acme], '')).toBe('serviceprofile-1');
    expect(partnerShown([acme, other], '')).toBe('');
    expect(partnerShown([acme, other], 'serviceprofile-2')).toBe('serviceprofile-2');
    // A rule edited after its partner went away shows what can be chosen now, not a blank.
    expect(partnerShown([acme], 'serviceprofile-9')).toBe('serviceprofile-1');
    expect(partnerShown([], '')).toBe('');
  });

  it('cannot be saved without a partner or with a port that is not a TCP port or range', () => {
    expect(redirectFormProblem('', '')).toBe('Choose a partner to redirect to.');
    expect(redirectFormProblem('serviceprofile-1', '')).toBe('');
    expect(redirectFormProblem('serviceprofile-1', ' 8443 ')).toBe('');
    expect(redirectFormProblem('serviceprofile-1', '8000-8999')).toBe('');
    expect(redirectFormProblem('serviceprofile-1', 'http')).toMatch(/“http” is not a TCP port or range/);
    expect(redirectFormProblem('serviceprofile-1', '80,443')).toMatch(/not a TCP port/);
  });
});
