// Output formats for `check`, by name. Each turns one run into text (a document or lines).
// New formats register here; the CLI offers exactly the names in this table.

import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../result.js';
import { formatText, type RunInfo } from './text.js';
import { toJson } from './json.js';
import { toItf } from './itf.js';
import { formatJUnit } from './junit.js';
import { formatGithub } from './github.js';
import { formatPlain } from './plain.js';
import { formatMermaid } from './mermaid.js';
import { toSarif } from './sarif.js';

export interface FormatContext {
  color: ChalkInstance;
  full: boolean;
  exitCode: number;
  /** migcheck's version, for formats that name the tool (SARIF). */
  version?: string;
}

export type Formatter = (info: RunInfo, r: CheckResult, ctx: FormatContext) => string;

export const formats = new Map<string, Formatter>([
  ['text', (info, r, ctx) => formatText(info, r, ctx.color, ctx.full)],
  ['json', (info, r, ctx) => JSON.stringify(toJson(info, r, ctx.exitCode), null, 2) + '\n'],
  [
    'itf',
    (info, r) => {
      const trace = r.status === 'violation' ? r.violation.trace : r.status === 'error' ? r.error.trace : [];
      const meta: Record<string, unknown> = { source: info.file ?? info.spec, description: `${info.spec}: ${r.status}` };
      if (r.status === 'violation') meta.violation = { kind: r.violation.kind, name: r.violation.name };
      return JSON.stringify(toItf(info.schema, trace, meta, r.status === 'violation' ? r.violation.loop : undefined), null, 2) + '\n';
    },
  ],
  ['junit', (info, r, ctx) => formatJUnit(info, r, ctx.exitCode)],
  ['github', (info, r, ctx) => formatGithub(info, r, ctx.exitCode)],
  ['plain', (info, r, ctx) => formatPlain(info, r, ctx.full)],
  ['mermaid', (info, r) => formatMermaid(info, r)],
  ['sarif', (info, r, ctx) => JSON.stringify(toSarif(info, r, ctx.exitCode, ctx.version ?? '0.0.0'), null, 2) + '\n'],
]);
