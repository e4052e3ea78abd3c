/** The entries of a comma-separated setting or option, trimmed, empty ones dropped. */
export function commaList(text: string): string[] {
  return text.split(',').map((entry) => entry.trim()).filter(Boolean);
}
