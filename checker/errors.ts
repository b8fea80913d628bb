// Exceptions are for bad input only; each carries what the user needs to find the fault.

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
