/**
 * The partner redirect rule form's choices (Firewall → Partner security services): which
 * partner it shows and whether it can be saved yet, so the dropdown is never blank and Save
 * never sends a rule the learner did not see.
 */

interface PartnerChoice {
  /** The partner's service profile, what a redirect rule names. */
  id: string;
  name: string;
}

/** The partner the form shows: the one picked while it is registered, else the only one registered, else none (''). */
export function partnerShown(partners: PartnerChoice[], picked: string): string {
  if (partners.some((p) => p.id === picked)) return picked;
  return partners.length === 1 ? partners[0]!.id : '';
}

/** Why the form cannot be saved yet, in the learner's words; '' when it can. */
export function redirectFormProblem(partner: string, port: string): string {
  if (!partner) return 'Choose a partner to redirect to.';
  const p = port.trim();
  if (p && !/^\d{1,5}(-\d{1,5})?$/.test(p)) return `“${p}” is not a TCP port or range (for example 8443 or 8000-8999).`;
  return '';
}
