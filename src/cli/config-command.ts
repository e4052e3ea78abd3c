/** `carport config`: the configuration reference, as a Markdown table (the README's is printed from it). */
import type { Command } from 'commander';
import { OPTIONS } from '../config.js';

export function configTable(): string {
  const rows = Object.values(OPTIONS).map((o) => {
    const parsed = o.schema.safeParse(undefined);
    const fallback = parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : '—';
    return `| \`${o.env}\` | ${fallback} | ${o.doc} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

export function registerConfigCommand(program: Command): void {
  program.command('config').description('print the configuration reference').action(() => console.log(configTable()));
}
