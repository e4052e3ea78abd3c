/** The shape test-mode sign-in asks of an email, checked in linear time on a capped length. */

/** RFC 5321's limit on a forward path. */
export const MAX_EMAIL_LENGTH = 254;

const WITHOUT_SPACE_OR_AT = /^[^\s@]+$/;

/** `local@domain.tld`: one `@`, no whitespace, and a dot inside the domain. */
export function isEmailShaped(text: string): boolean {
  if (text.length > MAX_EMAIL_LENGTH) return false;
  const at = text.indexOf('@');
  if (at <= 0) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return WITHOUT_SPACE_OR_AT.test(local) && WITHOUT_SPACE_OR_AT.test(domain) && domain.slice(1, -1).includes('.');
}
