// Packing of typed states into 32-bit words, compiled from the schema.
//
// Every leaf of the schema (enum, int, bool, or a chunk of a set's bitmask) gets a fixed
// bit field; fields are placed first-fit by decreasing width so that no field straddles a
// word. The encoder and decoder are generated as straight-line JavaScript for the schema,
// which is what makes the engine's hot path fast: one decode gives a fresh plain object,
// one encode both packs a state and checks that every value is inside its domain (TypeOK).
//
// When the whole state fits in 63 bits the packed words are themselves the fingerprint, so
// the seen-set is exact (no hash collisions possible); otherwise a 64-bit hash is used.

import { SchemaError, type Schema, type EnumType, type IntType } from '../schema.js';

/** A compiled packing of one schema. */
export interface Layout<S> {
  /** Words per packed state. */
  readonly words: number;
  /** Bits actually used. */
  readonly bits: number;
  /** True when fingerprints are the packed state itself (no collisions). */
  readonly exact: boolean;
  /** Packs `s` into `w[o..o+words)`. Returns false when a value is outside its domain. May throw on malformed shape. */
  readonly encode: (s: S, w: Uint32Array, o: number) => boolean;
  /** Reads a fresh plain object from `w[o..o+words)`. */
  readonly decode: (w: Uint32Array | Int32Array, o: number) => S;
  /** Writes the 64-bit fingerprint of `w[o..o+words)` into out[0] (hi) and out[1] (lo); never (0,0). */
  readonly fingerprint: (w: Uint32Array, o: number, out: Uint32Array) => void;
}

interface Field {
  /** Expression computing the raw field value in the encoder (uses locals declared in pre). */
  local: string;
  width: number;
  word: number;
  shift: number;
}

const SET_CHUNK = 31;

export function compileLayout<S>(schema: Schema): Layout<S> {
  const consts: unknown[] = [];
  const constRef = (v: unknown): string => {
    consts.push(v);
    return `K[${consts.length - 1}]`;
  };
  const encLines: string[] = [];
  const fields: Field[] = [];
  let tmp = 0;
  const local = (): string => `v${tmp++}`;

  // Encoder: walk the schema, binding each sub-object to a local, emitting domain checks.
  // Decoder: an expression tree producing the object literal, filled in after placement.
  type DecNode = (fieldOf: (i: number) => string) => string;

  function widthOf(n: number): number {
    return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
  }

  function walk(s: Schema, expr: string): DecNode {
    switch (s.kind) {
      case 'enum': {
        const map: Record<string, number> = Object.create(null);
        s.values.forEach((v, i) => (map[v] = i));
        const m = constRef(map);
        const vals = constRef(s.values);
        const x = local();
        encLines.push(`const ${x} = ${m}[${expr}]; if (${x} === undefined) return false;`);
        const fi = addField(x, widthOf(s.values.length));
        return (f) => `${vals}[${f(fi)}]`;
      }
      case 'int': {
        const x = local();
        encLines.push(`const ${x} = ${expr}; if ((${x} | 0) !== ${x} || ${x} < ${s.min} || ${x} > ${s.max}) return false;`);
        const fi = addField(`(${x} - ${s.min})`, widthOf(s.max - s.min + 1));
        return (f) => (s.min === 0 ? f(fi) : `(${f(fi)} + ${s.min})`);
      }
      case 'bool': {
        const x = local();
        encLines.push(`const ${x} = ${expr}; if (${x} !== true && ${x} !== false) return false;`);
        const fi = addField(`(${x} ? 1 : 0)`, 1);
        return (f) => `(${f(fi)} === 1)`;
      }
      case 'record': {
        const x = local();
        encLines.push(`const ${x} = ${expr};`);
        const keys = Object.keys(s.fields);
        const kids = keys.map((k) => walk(s.fields[k], `${x}[${JSON.stringify(k)}]`));
        return (f) => `{${keys.map((k, i) => `${JSON.stringify(k)}: ${kids[i](f)}`).join(', ')}}`;
      }
      case 'array':
      case 'tuple': {
        const elems = s.kind === 'array' ? Array.from({ length: s.length }, () => s.element) : s.elements;
        const x = local();
        encLines.push(`const ${x} = ${expr}; if (!Array.isArray(${x}) || ${x}.length !== ${elems.length}) return false;`);
        const kids = elems.map((e, i) => walk(e, `${x}[${i}]`));
        return (f) => `[${kids.map((k) => k(f)).join(', ')}]`;
      }
      case 'set': {
        const dom = s.element as EnumType<string> | IntType;
        const members: (string | number)[] = dom.kind === 'enum' ? [...dom.values] : range(dom.min, dom.max);
        const map: Record<string, number> = Object.create(null);
        members.forEach((v, i) => (map[String(v)] = i));
        const m = constRef(map);
        const mem = constRef(members);
        const chunks = Math.max(1, Math.ceil(members.length / SET_CHUNK));
        const x = local();
        const bits = Array.from({ length: chunks }, () => local());
        encLines.push(`const ${x} = ${expr}; if (!Array.isArray(${x})) return false;`);
        encLines.push(bits.map((b) => `let ${b} = 0;`).join(' '));
        const it = local();
        const idx = local();
        const check = dom.kind === 'int' ? `(typeof ${it} !== 'number') || ` : `(typeof ${it} !== 'string') || `;
        encLines.push(`for (let j = 0; j < ${x}.length; j++) { const ${it} = ${x}[j]; if (${check}false) return false; ` +
          `const ${idx} = ${m}[${it}]; if (${idx} === undefined) return false; ` +
          bits.map((b, c) => `if (${idx} >= ${c * SET_CHUNK} && ${idx} < ${(c + 1) * SET_CHUNK}) ${b} |= 1 << (${idx} - ${c * SET_CHUNK});`).join(' ') +
          ' }');
        const fis = bits.map((b, c) => addField(b, Math.min(SET_CHUNK, members.length - c * SET_CHUNK)));
        return (f) => {
          // Members in domain order; the decoder tests each bit.
          const parts = members.map((_, i) => {
            const c = Math.floor(i / SET_CHUNK);
            return `((${f(fis[c])} >>> ${i - c * SET_CHUNK}) & 1 ? D.push(${mem}[${i}]) : 0)`;
          });
          return `((D) => (${parts.length ? parts.join(', ') + ', ' : ''}D))([])`;
        };
      }
    }
  }

  function addField(expr: string, width: number): number {
    if (width > 32) throw new SchemaError('field wider than 32 bits');
    fields.push({ local: expr, width, word: 0, shift: 0 });
    return fields.length - 1;
  }

  const dec = walk(schema, 's');

  // First-fit decreasing placement.
  const order = fields.map((_, i) => i).sort((a, b) => fields[b].width - fields[a].width || a - b);
  const used: number[] = [];
  for (const i of order) {
    const f = fields[i];
    if (f.width === 0) continue;
    let w = used.findIndex((u) => u + f.width <= 32);
    if (w < 0) {
      used.push(0);
      w = used.length - 1;
    }
    f.word = w;
    f.shift = used[w];
    used[w] += f.width;
  }
  const words = Math.max(1, used.length);
  const bits = fields.reduce((a, f) => a + f.width, 0);

  // Encoder body: checks, then one store per word.
  const stores: string[] = [];
  for (let w = 0; w < words; w++) {
    const parts = fields.filter((f) => f.width > 0 && f.word === w).map((f) => (f.shift === 0 ? f.local : `(${f.local} << ${f.shift})`));
    stores.push(`w[o + ${w}] = ${parts.length ? `(${parts.join(' | ')}) >>> 0` : '0'};`);
  }
  const encSrc = `return function encode(s, w, o) {\n${encLines.join('\n')}\n${stores.join('\n')}\nreturn true;\n};`;

  const fieldRead = (i: number): string => {
    const f = fields[i];
    if (f.width === 0) return '0';
    const mask = f.width === 32 ? '' : ` & ${(2 ** f.width - 1) >>> 0}`;
    const word = `w[o + ${f.word}]`;
    return f.width === 32 ? `(${word} >>> 0)` : `((${word} >>> ${f.shift})${mask})`;
  };
  const decSrc = `return function decode(w, o) { return ${dec(fieldRead)}; };`;

  // Exact fingerprints when the state fits in 63 bits: the high bit marks "occupied".
  const exact = words === 1 || (words === 2 && used[1] <= 31);
  let fpSrc: string;
  if (exact) {
    fpSrc = words === 1
      ? `return function fingerprint(w, o, out) { out[0] = 0x80000000; out[1] = w[o]; };`
      : `return function fingerprint(w, o, out) { out[0] = (w[o + 1] | 0x80000000) >>> 0; out[1] = w[o]; };`;
  } else {
    // Two independent 32-bit murmur3-style lanes over the words, finalised with fmix32.
    const body: string[] = ['let h1 = 0x9747b28c | 0, h2 = 0x5bd1e995 | 0, k = 0;'];
    for (let w = 0; w < words; w++) {
      body.push(`k = Math.imul(w[o + ${w}], 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);` +
        ` h1 ^= k; h1 = (h1 << 13) | (h1 >>> 19); h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;` +
        ` k = Math.imul(w[o + ${w}], 0x85ebca6b); k = (k << 17) | (k >>> 15); k = Math.imul(k, 0xc2b2ae35);` +
        ` h2 ^= k; h2 = (h2 << 11) | (h2 >>> 21); h2 = (Math.imul(h2, 9) + 0x52dce729) | 0;`);
    }
    body.push(`h1 ^= ${words * 4}; h2 ^= ${words * 4}; h1 = (h1 + h2) | 0; h2 = (h2 + h1) | 0;`);
    for (const h of ['h1', 'h2'])
      body.push(`${h} ^= ${h} >>> 16; ${h} = Math.imul(${h}, 0x85ebca6b); ${h} ^= ${h} >>> 13; ${h} = Math.imul(${h}, 0xc2b2ae35); ${h} ^= ${h} >>> 16;`);
    body.push('h1 = (h1 + h2) | 0; h2 = (h2 + h1) | 0;');
    body.push('if (h1 === 0 && h2 === 0) h2 = 1;');
    body.push('out[0] = h1 >>> 0; out[1] = h2 >>> 0;');
    fpSrc = `return function fingerprint(w, o, out) {\n${body.join('\n')}\n};`;
  }

  const encode = new Function('K', encSrc)(consts) as Layout<S>['encode'];
  const decode = new Function('K', decSrc)(consts) as Layout<S>['decode'];
  const fingerprint = new Function(fpSrc)() as Layout<S>['fingerprint'];
  return { words, bits, exact, encode, decode, fingerprint };
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v++) out.push(v);
  return out;
}
