// Packing of typed states into 32-bit words, compiled from the schema.
//
// Every leaf of the schema (enum, int, bool, a sequence's length, or a chunk of a set's
// bitmask) gets a fixed bit field. A sequence is its length plus maxLen element slots
// (slots past the length hold the element type's first value, code 0, so that each value
// has one packing); a set is a bitmask over its element type's codes (schema.ts `codec`),
// which makes the packing canonical whatever order a recipe left the members in; a
// function is packed as a record with one field per domain value; a variant as one field
// holding its code. Fields are placed first-fit by decreasing width so that no field
// straddles a word. The encoder and decoder are generated as straight-line JavaScript for the schema,
// which is what makes the engine's hot path fast: one decode gives a fresh plain object,
// one encode both packs a state and checks that every value is inside its domain (TypeOK).
//
// When the whole state fits in 63 bits the packed words are themselves the fingerprint, so
// the seen-set is exact (no hash collisions possible); otherwise a 64-bit hash is used.

import { SchemaError, codec, fnKeys, type Schema, type EnumType, type IntType } from '../schema.js';

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
  /**
   * True when a state packs into one word that can never be all ones (some field has unused
   * codes, or a bit is never used): the word plus one is then a non-zero exact key, and a
   * seen-set of 4 bytes a slot suffices (store/fpset.ts WordSet).
   */
  readonly compact: boolean;
  /**
   * A reusable decoded state for the hot path: `load(w, o)` overwrites every leaf of one
   * object (and re-links its arrays and records, in case a recipe replaced them) and returns
   * it, so a successor costs no allocation. Each call of `scratch()` gives an independent object.
   */
  readonly scratch: () => Scratch<S>;
  /**
   * The bits of every field at or under one of `paths` (`dst`, `dst.units`, `procs[2].pc`:
   * record fields by `.name`, array and function entries by `[index]`), one mask word per
   * packed word. Used by overlay views (store/overlay.ts) to replace fields on packed states.
   */
  readonly fieldMask: (paths: readonly string[]) => Uint32Array;
  /**
   * Where each enum, int and bool leaf sits, by its path in the state (`src.units[1]`,
   * `link.unit`): word, shift and width of its field, and for ints the min its code is
   * relative to. For code that works on packed states directly (store/symmetry.ts).
   */
  readonly leaves: ReadonlyMap<string, LeafField>;
}

export interface LeafField {
  readonly word: number;
  readonly shift: number;
  readonly width: number;
  /** The value of code 0 (ints: min; enums and bools: 0). */
  readonly min: number;
}

export interface Scratch<S> {
  load(w: Uint32Array | Int32Array, o: number): S;
  /** The layout's `encode`, faster on a state whose records are this scratch's own (any state may be given). */
  readonly encode: (s: S, w: Uint32Array, o: number) => boolean;
  /**
   * The object the last `load` returned, holding the state it loaded again, after a recipe
   * changed it in place and `encode` packed it into w[o..] (true): only the fields whose bits
   * differ from the loaded words are loaded again, when the object still has its records and
   * arrays in place and the schema has no sequence, set or variant (whose objects a recipe
   * can change without their bits changing); else everything is, as by `load`.
   */
  restore(w: Uint32Array, o: number): S;
}

interface Field {
  /** Expression computing the raw field value in the encoder (uses locals declared in pre). */
  local: string;
  width: number;
  word: number;
  shift: number;
  /** Some codes of the field are never used (so the all-ones pattern is impossible). */
  gap: boolean;
  /** Where the value sits in the state (`src.units[1]`), for fieldMask. */
  path: string;
}

const SET_CHUNK = 31;
/** Stands for "no known record" in the plain encoder. */
const NOT_A_RECORD = Object.freeze({});
/** Enums with at most this many members are encoded by an if-chain of comparisons. */
const ENUM_CHAIN = 8;

export function compileLayout<S>(schema: Schema): Layout<S> {
  const consts: unknown[] = [];
  const constRef = (v: unknown): string => {
    consts.push(v);
    return `K${consts.length - 1}`;
  };
  const encLines: string[] = [];
  const fields: Field[] = [];
  const leafAt: [string, number, number][] = [];
  let tmp = 0;
  /** Records (and functions) met so far: R0, R1, … in the encoder are the scratch's containers for them. */
  let records = 0;
  /** The path of the schema node being walked: the leaves added next sit there. */
  let fieldPath = '';
  const local = (): string => `v${tmp++}`;

  // Encoder: walk the schema, binding each sub-object to a local, emitting domain checks.
  // Decoders are generated from the returned tree once fields are placed: `decode` as one
  // expression building a fresh object, `scratch` as statements overwriting a cached one.
  type Read = (i: number) => string;
  type Node =
    | { kind: 'leaf'; expr: (f: Read) => string; fi: number; variant?: true }
    | { kind: 'record'; keys: string[]; kids: Node[]; rid: number }
    | { kind: 'array'; kids: Node[] }
    | { kind: 'seq'; len: number; kids: Node[] }
    | { kind: 'set'; fis: number[]; mem: string; n: number }
    | { kind: 'codes'; fis: number[]; val: string };

  function widthOf(n: number): number {
    return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
  }

  /** `path`: where the value sits in the state (`queue`, `procs[2].inbox`), for error messages. */
  function walk(s: Schema, expr: string, path: string): Node {
    fieldPath = path;
    switch (s.kind) {
      case 'enum': {
        const map: Record<string, number> = Object.create(null);
        s.values.forEach((v, i) => (map[v] = i));
        const m = constRef(map);
        const vals = constRef(s.values);
        const x = local();
        if (s.values.length <= ENUM_CHAIN) {
          // Comparing interned string literals is cheaper than a keyed lookup for a few members.
          const y = local();
          encLines.push(`const ${y} = ${expr}; let ${x}; ` + s.values.map((v, i) => `${i ? 'else ' : ''}if (${y} === ${JSON.stringify(v)}) ${x} = ${i};`).join(' ') + ' else return false;');
        } else encLines.push(`const ${x} = ${m}[${expr}]; if (${x} === undefined) return false;`);
        const fi = addField(x, widthOf(s.values.length), s.values.length);
        leafAt.push([path, fi, 0]);
        return { kind: 'leaf', expr: (f) => `${vals}[${f(fi)}]`, fi };
      }
      case 'int': {
        const x = local();
        // A one-value domain (a field the configuration keeps constant) is one comparison.
        if (s.min === s.max) encLines.push(`const ${x} = ${expr}; if (${x} !== ${s.min}) return false;`);
        else encLines.push(`const ${x} = ${expr}; if ((${x} | 0) !== ${x} || ${x} < ${s.min} || ${x} > ${s.max}) return false;`);
        const fi = addField(`(${x} - ${s.min})`, widthOf(s.max - s.min + 1), s.max - s.min + 1);
        leafAt.push([path, fi, s.min]);
        return { kind: 'leaf', expr: (f) => (s.min === 0 ? f(fi) : `(${f(fi)} + ${s.min})`), fi };
      }
      case 'bool': {
        const x = local();
        encLines.push(`const ${x} = ${expr}; if (${x} !== true && ${x} !== false) return false;`);
        const fi = addField(`(${x} ? 1 : 0)`, 1);
        leafAt.push([path, fi, 0]);
        return { kind: 'leaf', expr: (f) => `(${f(fi)} === 1)`, fi };
      }
      case 'record': {
        const x = local();
        const keys = Object.keys(s.fields);
        // A record the recipe built itself (scratch and immer objects are not extensible)
        // must have exactly the declared fields: an extra one would otherwise be dropped
        // silently by the packing. validate() then names it in the TypeOK report.
        const rid = records++;
        encLines.push(`const ${x} = ${expr}; if (${x} !== R${rid} && Object.isExtensible(${x}) && Object.keys(${x}).length !== ${keys.length}) return false;`);
        return { kind: 'record', keys, rid, kids: keys.map((k) => walk(s.fields[k], `${x}[${JSON.stringify(k)}]`, path === '' ? k : `${path}.${k}`)) };
      }
      case 'fn': {
        const x = local();
        const keys = fnKeys(s);
        const rid = records++;
        encLines.push(`const ${x} = ${expr}; if (${x} !== R${rid} && (typeof ${x} !== 'object' || ${x} === null || (Object.isExtensible(${x}) && Object.keys(${x}).length !== ${keys.length}))) return false;`);
        return { kind: 'record', keys, rid, kids: keys.map((k) => walk(s.range, `${x}[${JSON.stringify(k)}]`, `${path}[${k}]`)) };
      }
      case 'seq': {
        const x = local();
        const err = constRef((n: number) => new SequenceLengthError(path === '' ? 'state' : path, n, s.maxLen));
        encLines.push(`const ${x} = ${expr}; if (!Array.isArray(${x})) return false; if (${x}.length > ${s.maxLen}) throw ${err}(${x}.length);`);
        const len = addField(`${x}.length`, widthOf(s.maxLen + 1), s.maxLen + 1);
        const filler = constRef(codec(s.element).value(0));
        const kids = Array.from({ length: s.maxLen }, (_, i) => walk(s.element, `(${x}.length > ${i} ? ${x}[${i}] : ${filler})`, `${path}[${i}]`));
        return { kind: 'seq', len, kids };
      }
      case 'array':
      case 'tuple': {
        const elems = s.kind === 'array' ? Array.from({ length: s.length }, () => s.element) : s.elements;
        const x = local();
        encLines.push(`const ${x} = ${expr}; if (!Array.isArray(${x}) || ${x}.length !== ${elems.length}) return false;`);
        return { kind: 'array', kids: elems.map((e, i) => walk(e, `${x}[${i}]`, `${path}[${i}]`)) };
      }
      case 'variant': {
        // One field holding the value's code: the cases have different fields, and a
        // code is as small as a packing gets (log2 of the number of values).
        const c = codec(s);
        if (c.card > 2 ** 31) throw new SchemaError(`${path === '' ? 'state' : path}: t.variant('${s.tag}', …) has ${c.card} values, more than the 2^31 a packed variant can hold`);
        const idx = constRef(c.index);
        const val = constRef(c.value);
        const x = local();
        encLines.push(`const ${x} = ${idx}(${expr}); if (${x} < 0) return false;`);
        const fi = addField(x, widthOf(c.card), c.card);
        return { kind: 'leaf', expr: (f) => `${val}(${f(fi)})`, fi, variant: true };
      }
      case 'set': {
        if (s.element.kind !== 'enum' && s.element.kind !== 'int') {
          // Any other element type: a bitmask over the element codes, filled in a scratch array.
          const c = codec(s.element);
          const chunks = Math.max(1, Math.ceil(c.card / SET_CHUNK));
          const idx = constRef(c.index);
          const val = constRef(c.value);
          const bitsArr = constRef(new Uint32Array(chunks));
          const x = local();
          const k = local();
          encLines.push(`const ${x} = ${expr}; if (!Array.isArray(${x})) return false; ${bitsArr}.fill(0);`);
          encLines.push(`for (let j = 0; j < ${x}.length; j++) { const ${k} = ${idx}(${x}[j]); if (${k} < 0) return false; ${bitsArr}[(${k} / ${SET_CHUNK}) | 0] |= 1 << (${k} % ${SET_CHUNK}); }`);
          const fis = Array.from({ length: chunks }, (_, i) => addField(`${bitsArr}[${i}]`, Math.min(SET_CHUNK, c.card - i * SET_CHUNK)));
          return { kind: 'codes', fis, val };
        }
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
        return { kind: 'set', fis, mem, n: members.length };
      }
    }
  }

  /** Members of a set in domain order: one push per member whose bit is set. */
  function setPushes(node: { fis: number[]; mem: string; n: number }, f: Read, target: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < node.n; i++) {
      const c = Math.floor(i / SET_CHUNK);
      out.push(`if ((${f(node.fis[c])} >>> ${i - c * SET_CHUNK}) & 1) ${target}.push(${node.mem}[${i}]);`);
    }
    return out;
  }

  /** Members of a bitmask set in code order, each a fresh value: one loop per chunk over its set bits. */
  function codePushes(node: { fis: number[]; val: string }, f: Read, target: string): string[] {
    return node.fis.map((fi, c) =>
      `{ let m = ${f(fi)}; while (m !== 0) { const b = 31 - Math.clz32(m & -m); ${target}.push(${node.val}(${c * SET_CHUNK} + b)); m &= m - 1; } }`);
  }

  /** An expression that builds a fresh value of the node. */
  function decodeExpr(node: Node, f: Read): string {
    switch (node.kind) {
      case 'leaf':
        return node.expr(f);
      case 'record':
        return `{${node.keys.map((k, i) => `${JSON.stringify(k)}: ${decodeExpr(node.kids[i], f)}`).join(', ')}}`;
      case 'array':
        return `[${node.kids.map((k) => decodeExpr(k, f)).join(', ')}]`;
      case 'seq':
        return `((D, L) => { ${node.kids.map((k, i) => `if (L > ${i}) D.push(${decodeExpr(k, f)});`).join(' ')} return D; })([], ${f(node.len)})`;
      case 'set':
        return `((D) => { ${setPushes(node, f, 'D').join(' ')} return D; })([])`;
      case 'codes':
        return `((D) => { ${codePushes(node, f, 'D').join(' ')} return D; })([])`;
    }
  }

  /**
   * Statements that make `target` hold the node's value, reusing one cached container per
   * array, record and set (declared in `decls`, created once by the scratch factory).
   */
  function loadInto(node: Node, f: Read, target: string, decls: string[], body: string[]): void {
    switch (node.kind) {
      case 'leaf':
        body.push(`${target} = ${node.expr(f)};`);
        leafTargets.push({ target, node });
        return;
      case 'record': {
        const c = `c${decls.length}`;
        decls.push(`const ${c} = {${node.keys.map((k) => `${JSON.stringify(k)}: undefined`).join(', ')}};`);
        recordContainers[node.rid] = c;
        body.push(`${target} = ${c};`);
        links.push(`${target === 'r.v' ? 'r.v' : target} === ${c}`);
        node.keys.forEach((k, i) => loadInto(node.kids[i], f, `${c}[${JSON.stringify(k)}]`, decls, body));
        return;
      }
      case 'array': {
        const c = `c${decls.length}`;
        // A literal, so that the array is PACKED (no hole checks on every load of the hot path), not HOLEY as new Array(n) makes it.
        decls.push(`const ${c} = [${node.kids.map(() => '0').join(', ')}];`);
        body.push(`${target} = ${c}; if (${c}.length !== ${node.kids.length}) ${c}.length = ${node.kids.length};`);
        links.push(`${target} === ${c}`, `${c}.length === ${node.kids.length}`);
        node.kids.forEach((k, i) => loadInto(k, f, `${c}[${i}]`, decls, body));
        return;
      }
      case 'seq': {
        partial = false;
        // Slot i's containers are reused for element i (each element gets its own).
        const c = `c${decls.length}`;
        decls.push(`const ${c} = [];`);
        const L = `L${decls.length}`;
        decls.push(`let ${L} = 0;`);
        body.push(`${target} = ${c}; ${c}.length = 0; ${L} = ${f(node.len)};`);
        node.kids.forEach((k, i) => {
          const inner: string[] = [];
          loadInto(k, f, `${c}[${i}]`, decls, inner);
          body.push(`if (${L} > ${i}) { ${inner.join(' ')} }`);
        });
        return;
      }
      case 'set': {
        partial = false;
        const c = `c${decls.length}`;
        decls.push(`const ${c} = [];`);
        body.push(`${target} = ${c}; ${c}.length = 0;`, ...setPushes(node, f, c));
        return;
      }
      case 'codes': {
        partial = false;
        const c = `c${decls.length}`;
        decls.push(`const ${c} = [];`);
        body.push(`${target} = ${c}; ${c}.length = 0;`, ...codePushes(node, f, c));
        return;
      }
    }
  }

  /** `codes`: how many of the field's 2^width codes are values (all of them when absent). */
  function addField(expr: string, width: number, codes = 2 ** width): number {
    if (width > 32) throw new SchemaError('field wider than 32 bits');
    fields.push({ local: expr, width, word: 0, shift: 0, gap: codes < 2 ** width, path: fieldPath });
    return fields.length - 1;
  }

  const root = walk(schema, 's', '');

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
  // The encoder is made for a list of known records R (a scratch's containers, closed to new
  // properties): a record that is one of them skips the check for fields a recipe added,
  // which could not have been added to it. The plain encoder has none.
  const encSrc = `return function makeEncode(R) {\n${Array.from({ length: records }, (_, i) => `const R${i} = R[${i}];`).join('\n')}\nreturn function encode(s, w, o) {\n${encLines.join('\n')}\n${stores.join('\n')}\nreturn true;\n};\n};`;

  const fieldRead = (i: number): string => {
    const f = fields[i];
    if (f.width === 0) return '0';
    const mask = f.width === 32 ? '' : ` & ${(2 ** f.width - 1) >>> 0}`;
    const word = `w[o + ${f.word}]`;
    return f.width === 32 ? `(${word} >>> 0)` : `((${word} >>> ${f.shift})${mask})`;
  };
  const decSrc = `return function decode(w, o) { return ${decodeExpr(root, fieldRead)}; };`;
  const decls: string[] = [];
  const body: string[] = [];
  const recordContainers: string[] = [];
  /** Every leaf's place in the scratch (`c3["state"]`), and the links from each container to the next. */
  const leafTargets: { target: string; node: Extract<Node, { kind: 'leaf' }> }[] = [];
  const links: string[] = [];
  /** Whether `restore` may load only the fields that changed (no sequence, set or variant; a record or array at the root). */
  let partial = root.kind === 'record' || root.kind === 'array';
  loadInto(root, fieldRead, 'r.v', decls, body);
  if (leafTargets.some((l) => l.node.variant)) partial = false;
  const containers = decls.filter((d) => d.startsWith('const ')).map((d) => d.split(' ')[1]);
  // restore: the fields whose bits differ between the loaded words (B) and the successor's,
  // each loaded again from B; a word whose bits are all the same costs one comparison.
  const nw = Math.max(1, used.length);
  const fromB = (i: number): string => fieldRead(i).replace(/w\[o \+ (\d+)\]/g, 'B[$1]');
  const restoreBody: string[] = partial
    ? [
      `if (!(${links.join(' && ')})) return load(B, 0);`,
      'let x;',
      ...Array.from({ length: nw }, (_, k) => {
        const here = leafTargets.filter((l) => fields[l.node.fi].width > 0 && fields[l.node.fi].word === k);
        if (here.length === 0) return '';
        const tests = here.map((l) => {
          const f = fields[l.node.fi];
          const mask = f.width === 32 ? 0xffffffff : ((2 ** f.width - 1) * 2 ** f.shift) >>> 0;
          return `if ((x & ${mask | 0}) !== 0) ${l.target} = ${l.node.expr(fromB)};`;
        });
        return `x = w[o + ${k}] ^ B[${k}]; if (x !== 0) { ${tests.join(' ')} }`;
      }),
      'return r.v;',
    ]
    : ['return load(B, 0);'];
  const scratchSrc = `return function scratch() {\n${decls.join('\n')}\nconst r = { v: undefined };\nconst B = new Uint32Array(${nw});\n` +
    `function load(w, o) {\nif (w !== B) for (let i = 0; i < ${nw}; i++) B[i] = w[o + i];\n${body.join('\n')}\nreturn r.v;\n}\n` +
    `function restore(w, o) {\n${restoreBody.join('\n')}\n}\n` +
    `return { containers: [${containers.join(', ')}], records: [${recordContainers.join(', ')}], load, restore };\n};`;

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

  // Constants are bound once per compiled function (K0, K1, …), not looked up per call.
  const bind = (src: string) => new Function('K', `const ${consts.map((_, i) => `K${i} = K[${i}]`).join(', ') || '_ = 0'};\n${src}`)(consts);
  const makeEncode = bind(encSrc) as (records: readonly unknown[]) => Layout<S>['encode'];
  // The plain encoder knows no records: each R_i is an object no state holds.
  const encode = makeEncode(Array.from({ length: records }, () => NOT_A_RECORD));
  const decode = bind(decSrc) as Layout<S>['decode'];
  const rawScratch = bind(scratchSrc) as () => { containers: unknown[]; records: unknown[]; load: Scratch<S>['load']; restore: Scratch<S>['restore'] };
  // The records of a scratch state are closed to new properties once, when it is made: a
  // recipe that assigns a field the schema does not declare then throws (the error names
  // the field and the action) instead of the field being silently dropped by the packing.
  // Arrays stay open: sets and sequences are arrays that recipes push to. Every cached
  // record is closed, including those of sequence slots that an all-zero state leaves empty.
  const scratch = (): Scratch<S> => {
    const sc = rawScratch();
    closeRecords(sc.load(new Uint32Array(words), 0));
    for (const c of sc.containers) if (!Array.isArray(c)) Object.preventExtensions(c);
    return { load: sc.load, encode: makeEncode(sc.records), restore: sc.restore };
  };
  const fingerprint = new Function(fpSrc)() as Layout<S>['fingerprint'];

  // The all-ones word is impossible when a bit is never used or a field has unused codes.
  const gaps = fields.some((f) => f.width > 0 && f.gap);
  const compact = words === 1 && (bits < 32 || gaps);
  const fieldMask = (paths: readonly string[]): Uint32Array => {
    const mask = new Uint32Array(words);
    const under = (p: string) => paths.some((q) => isUnder(p, q));
    for (const f of fields) if (f.width > 0 && under(f.path)) mask[f.word] |= (f.width === 32 ? 0xffffffff : ((2 ** f.width - 1) << f.shift)) >>> 0;
    return mask;
  };
  const leaves = new Map<string, LeafField>(leafAt.map(([path, fi, min]) => [path, { word: fields[fi].word, shift: fields[fi].shift, width: fields[fi].width, min }]));
  return { words, bits, exact, encode, decode, fingerprint, compact, scratch, fieldMask, leaves };
}

/** Whether the value at `path` is `prefix` or part of it (`src.units[1]` is under `src` and `src.units`; '' is the whole state). */
export function isUnder(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || (path.startsWith(prefix) && (path[prefix.length] === '.' || path[prefix.length] === '['));
}

/**
 * A state holds a sequence longer than its t.seq() bound. Thrown by the encoder, so the
 * engine reports it as an evaluation error of the action (or initial state) that made it.
 */
export class SequenceLengthError extends Error {
  override name = 'SequenceLengthError';
  constructor(readonly path: string, readonly length: number, readonly maxLen: number) {
    super(`${path}: a sequence of length ${length} is longer than its maximum ${maxLen} (t.seq(…, ${maxLen}))`);
  }
}

function closeRecords(v: unknown): void {
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const e of v) closeRecords(e);
    return;
  }
  for (const e of Object.values(v)) closeRecords(e);
  Object.preventExtensions(v);
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v++) out.push(v);
  return out;
}
