import { describe, it, expect } from 'vitest';
import { parseXml, XmlError } from './xml.js';

// The test reader must itself reject malformed documents, or the JUnit tests prove nothing.
describe('the XML reader used by the report tests', () => {
  it('reads elements, attributes and decoded text', () => {
    const el = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; 2"><b>t&lt;&#10;&#x41;</b><c/></a>\n');
    expect(el.attrs.x).toBe('1 & 2');
    expect(el.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(el.children[0].text).toBe('t<\nA');
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['crossed tags', '<a><b></a></b>'],
    ['a bare ampersand', '<a>x & y</a>'],
    ['a bare less-than in text', '<a>x < y</a>'],
    ['a less-than in an attribute', '<a x="<"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['two roots', '<a/><b/>'],
    ['a control character', '<a>\u0001</a>'],
    ['an unquoted attribute', '<a x=1/>'],
    [']]> in text', '<a>]]></a>'],
  ])('rejects %s', (_what, doc) => {
    expect(() => parseXml(doc)).toThrow(XmlError);
  });
});
