// Exceptions are for bad input only; each carries what the user needs to find the fault.

/** Longest value echoed in a message; the rest is cut with a note of how much. */
export const MESSAGE_VALUE_MAX = 80;

/** A value for a one-line message: at most `max` characters, newlines shown as \n. */
export function cut(v: string, max = MESSAGE_VALUE_MAX): string {
  const one = v.replace(/\r?\n/g, '\\n');
  return one.length <= max ? one : `${one.slice(0, max)}… (${one.length} characters)`;
}

/** The spec itself is malformed (exit 150). */
export class SpecError extends Error {
  override name = 'SpecError';
  constructor(message: string, readonly file?: string) {
    super(file ? `${file}: ${message}` : message);
  }
}

/** A configuration value is wrong: unknown invariant, bad --const, unreadable table (exit 150). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The command line itself is wrong (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
