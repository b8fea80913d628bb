// The Informal Trace Format (Apalache ADR-015), so that Quint and Apalache tooling can read
// migcheck's counterexamples: `#meta`, `vars`, `states`; integers as `{"#bigint": "n"}`,
// sets as `{"#set": [...]}` (members in canonical order), tuples as `{"#tup": [...]}`,
// sequences as JSON lists, fixed arrays as functions from their indexes and functions
// from their domain values (`{"#map": [[k, v], ...]}`), records as JSON objects.

import { canonicalSet, fnKeys, domainValues, type Schema } from '../schema.js';
import type { TraceStep } from '../result.js';

export type ItfValue = string | boolean | ItfValue[] | { [k: string]: ItfValue };

export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, ItfValue>[];
  loop?: number;
}

export function toItfValue(s: Schema, v: unknown): ItfValue {
  switch (s.kind) {
    case 'int':
      return { '#bigint': String(v) };
    case 'enum':
      return String(v);
    case 'bool':
      return Boolean(v);
    case 'record': {
      const o: Record<string, ItfValue> = {};
      for (const k of Object.keys(s.fields)) o[k] = toItfValue(s.fields[k], (v as Record<string, unknown>)?.[k]);
      return o;
    }
    case 'array':
      return { '#map': (v as unknown[]).map((e, i) => [{ '#bigint': String(i) }, toItfValue(s.element, e)]) };
    case 'tuple':
      return { '#tup': (v as unknown[]).map((e, i) => toItfValue(s.elements[i], e)) };
    case 'seq':
      return (v as unknown[]).map((e) => toItfValue(s.element, e));
    case 'set':
      return { '#set': canonicalSet(s, v).map((e) => toItfValue(s.element, e)) };
    case 'variant': {
      // As TLA+ tools write these records: the tag is a string field like any other.
      const o = v as Record<string, unknown>;
      const fields = s.cases[String(o?.[s.tag])] ?? {};
      const out: Record<string, ItfValue> = { [s.tag]: String(o?.[s.tag]) };
      for (const k of Object.keys(fields)) out[k] = toItfValue(fields[k], o[k]);
      return out;
    }
    case 'fn': {
      const keys = fnKeys(s);
      return { '#map': domainValues(s.domain).map((d, i) => [toItfValue(s.domain, d), toItfValue(s.range, (v as Record<string, unknown>)[keys[i]])]) };
    }
  }
}

/**
 * ITF for a trace. A record state gives one variable per field; any other state is the variable `state`.
 * For a lasso (`loop` given, as in a liveness violation) the repeated final state is left out,
 * since in ITF the last state is followed by state `loop`.
 */
export function toItf(schema: Schema, trace: readonly TraceStep[], meta: Record<string, unknown> = {}, loop?: number): ItfTrace {
  if (loop !== undefined && loop < trace.length - 1) trace = trace.slice(0, -1);
  const vars = schema.kind === 'record' ? Object.keys(schema.fields) : ['state'];
  const states = trace.map((st, index) => {
    const row: Record<string, ItfValue> = { '#meta': { index, action: st.action, label: st.label } as never };
    if (schema.kind === 'record') {
      for (const k of vars) {
        try {
          row[k] = toItfValue(schema.fields[k], (st.state as Record<string, unknown>)[k]);
        } catch {
          row[k] = String((st.state as Record<string, unknown>)?.[k]);
        }
      }
    } else row.state = toItfValue(schema, st.state);
    return row;
  });
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', ...meta },
    vars,
    states,
    ...(loop !== undefined ? { loop } : {}),
  };
}
