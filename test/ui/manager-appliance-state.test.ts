import { describe, expect, it } from 'vitest';
import { APPLIANCE_TEXT, applianceState } from '../../src/components/manager-appliance-state';

describe('the NSX Manager appliance line', () => {
  it('says "starting…" until the lab answers, whatever a probe of an earlier lab found', () => {
    expect(applianceState(false, null)).toBe('starting');
    expect(applianceState(false, 'down')).toBe('starting');
    expect(applianceState(false, 'up')).toBe('starting');
    expect(APPLIANCE_TEXT.starting).toBe('starting…');
  });

  it('then says what the probe found, and "…" until it has answered', () => {
    expect(applianceState(true, null)).toBe('unknown');
    expect(applianceState(true, 'up')).toBe('up');
    expect(applianceState(true, 'down')).toBe('down');
    expect(new Set(Object.values(APPLIANCE_TEXT)).size).toBe(4);
  });
});
