// A small, strict XML 1.0 reader for tests: it rejects what a conforming parser rejects in
// the documents migcheck writes (unbalanced or crossed tags, duplicate attributes, a bare
// '<' or '&', unknown entities, characters XML cannot carry, more than one root element)
// and returns the element tree with entities decoded, so tests can assert both
// well-formedness and content. No DTDs, no namespaces processing.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (CDATA included). */
  text: string;
}

export class XmlError extends Error {}

const NAME = /[A-Za-z_:][\w.:-]*/y;
// eslint-disable-next-line no-control-regex
const INVALID_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

function decodeEntities(s: string, at: number): string {
  return s.replace(/&([^;]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new XmlError(`bare '&' near offset ${at}`);
    switch (body) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const num = /^#x([0-9a-fA-F]+)$/.exec(body) ?? /^#([0-9]+)$/.exec(body);
    if (num) {
      const code = parseInt(num[1], body[1] === 'x' ? 16 : 10);
      const ch = String.fromCodePoint(code);
      if (INVALID_CHAR.test(ch)) throw new XmlError(`character reference &${body}; is not allowed in XML 1.0`);
      return ch;
    }
    throw new XmlError(`unknown entity &${body}; near offset ${at}`);
  });
}

export function parseXml(doc: string): XmlElement {
  if (INVALID_CHAR.test(doc)) throw new XmlError(`invalid character U+${doc.charCodeAt(doc.search(INVALID_CHAR)).toString(16)}`);
  let i = 0;
  const ws = () => {
    while (i < doc.length && /\s/.test(doc[i])) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(doc);
    if (!m) throw new XmlError(`expected a name at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  const skipMisc = () => {
    for (;;) {
      ws();
      if (doc.startsWith('<!--', i)) {
        const end = doc.indexOf('-->', i + 4);
        if (end < 0) throw new XmlError('unterminated comment');
        i = end + 3;
      } else if (doc.startsWith('<?', i)) {
        const end = doc.indexOf('?>', i + 2);
        if (end < 0) throw new XmlError('unterminated processing instruction');
        i = end + 2;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (doc[i] !== '<') throw new XmlError(`expected '<' at offset ${i}`);
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      ws();
      if (doc.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (doc[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new XmlError(`expected whitespace before attribute at offset ${i}`);
      const an = name();
      ws();
      if (doc[i] !== '=') throw new XmlError(`expected '=' after attribute ${an}`);
      i++;
      ws();
      const q = doc[i];
      if (q !== '"' && q !== "'") throw new XmlError(`attribute ${an} is not quoted`);
      const end = doc.indexOf(q, i + 1);
      if (end < 0) throw new XmlError(`unterminated attribute ${an}`);
      const raw = doc.slice(i + 1, end);
      if (raw.includes('<')) throw new XmlError(`'<' in attribute ${an}`);
      if (an in el.attrs) throw new XmlError(`duplicate attribute ${an} on <${el.name}>`);
      el.attrs[an] = decodeEntities(raw, i);
      i = end + 1;
    }
    for (;;) {
      if (i >= doc.length) throw new XmlError(`<${el.name}> is not closed`);
      if (doc.startsWith('</', i)) {
        i += 2;
        const close = name();
        if (close !== el.name) throw new XmlError(`</${close}> closes <${el.name}>`);
        ws();
        if (doc[i] !== '>') throw new XmlError(`expected '>' at offset ${i}`);
        i++;
        return el;
      }
      if (doc.startsWith('<![CDATA[', i)) {
        const end = doc.indexOf(']]>', i);
        if (end < 0) throw new XmlError('unterminated CDATA');
        el.text += doc.slice(i + 9, end);
        i = end + 3;
      } else if (doc.startsWith('<!--', i) || doc.startsWith('<?', i)) skipMisc();
      else if (doc[i] === '<') el.children.push(element());
      else {
        const end = doc.indexOf('<', i);
        const raw = doc.slice(i, end < 0 ? doc.length : end);
        if (raw.includes(']]>')) throw new XmlError("']]>' in character data");
        el.text += decodeEntities(raw, i);
        i += raw.length;
      }
    }
  };
  if (doc.startsWith('<?xml', 0) && !/^<\?xml version="1\.[0-9]"( encoding="[\w-]+")?( standalone="(yes|no)")?\s*\?>/.test(doc))
    throw new XmlError('malformed XML declaration');
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== doc.length) throw new XmlError(`content after the root element at offset ${i}`);
  return root;
}

/** All descendants (depth first) named `name`. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
