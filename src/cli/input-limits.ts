/** Every option and argument of every command has a length cap, checked before a command runs. */
import type { Command } from 'commander';

/** Longer than any value a command takes: an id, a URL, a name, custom scenario steps as JSON. */
export const MAX_VALUE_LENGTH = 16_384;
/** More values than any repeatable option or list takes. */
export const MAX_VALUES = 100;

function check(name: string, value: unknown): void {
  const values = Array.isArray(value) ? value : [value];
  if (values.length > MAX_VALUES) throw new Error(`${name} takes at most ${MAX_VALUES} values`);
  for (const v of values) {
    if (typeof v === 'string' && v.length > MAX_VALUE_LENGTH) throw new Error(`${name} is longer than ${MAX_VALUE_LENGTH} characters`);
  }
}

export function capInputs(program: Command): void {
  program.hook('preAction', (_program, command) => {
    for (const [name, value] of Object.entries(command.optsWithGlobals())) check(`--${name}`, value);
    command.args.forEach((value, i) => check(`argument ${i + 1}`, value));
  });
}
