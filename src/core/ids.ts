/** Identifier formats the API accepts. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Vehicle, user and app ids are UUIDs (any version; case-insensitive). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
