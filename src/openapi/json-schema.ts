/**
 * A zod schema as an OpenAPI 3.1 Schema Object (JSON Schema 2020-12). Schemas named with
 * `.meta({ id })` become shared components: zod puts them in `$defs`, which are moved to
 * `components.schemas` so every operation refers to one copy.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const SAFE_BOUNDS = new Set([Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);

/** Drops the bounds zod writes on every integer (±2^53-1): true of every JSON number a client handles. */
function withoutSafeBounds(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(withoutSafeBounds);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const key of ['minimum', 'maximum']) {
    if (record.type === 'integer' && SAFE_BOUNDS.has(record[key] as number)) delete record[key];
  }
  Object.values(record).forEach(withoutSafeBounds);
}

/**
 * `io` is `input` for what a client sends (defaults optional, transforms' inputs) and `output`
 * for what carport answers. Components found are added to `components`.
 */
export function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  const text = JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/');
  const { $schema: _dialect, $defs, ...rest } = JSON.parse(text) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  for (const [name, definition] of Object.entries($defs ?? {})) {
    withoutSafeBounds(definition);
    components[name] = definition;
  }
  withoutSafeBounds(rest);
  return rest;
}
