// Where in a spec file something is defined, for reports that point into the file (GitHub
// annotations, SARIF). Found in the source text rather than from the loader: a property is
// a key of `invariants`, `properties` or `temporal` (`Name: {` or `'Name': {`, at the start
// of a line or after `{` or `,` as in `invariants: { Name: (s) => … }`), or failing
// that a string naming it (`name: 'Name'`); names made by helper code in other files are
// not in the spec file, and then no line is given.

/** The 1-based line of the definition of `name` in `source`, if the file names it. */
export function definitionLine(source: string | undefined, name: string): number | undefined {
  if (!source || !name) return undefined;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = source.split('\n');
  const key = new RegExp(`(?:^|[{,])\\s*(?:(['"\`])${esc}\\1|${/^[A-Za-z_$][\w$]*$/.test(name) ? esc : '(?!)'})\\s*:`);
  const quoted = new RegExp(`(['"\`])${esc}\\1`);
  const inComment = (l: string) => /^\s*(\/\/|\*|\/\*)/.test(l);
  for (const test of [key, quoted]) {
    const i = lines.findIndex((l) => !inComment(l) && test.test(l));
    if (i >= 0) return i + 1;
  }
  return undefined;
}
