/**
 * Smartcar's limit on a webhook body. A larger body is kept, dead-lettered with the reason (visible
 * in the deliveries and redeliverable), never dropped silently — scheduled and event bodies alike.
 */
export const MAX_BODY_BYTES = 50 * 1024;

/** Why a body cannot be sent as it is, or undefined when it can. */
export function sizeRefusal(body: string): string | undefined {
  const bytes = Buffer.byteLength(body);
  return bytes > MAX_BODY_BYTES ? `the payload is ${bytes} bytes, over the 50 KB limit` : undefined;
}
