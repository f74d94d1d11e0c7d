import { InvalidInputError } from '../../../../src/lib/errors';
import { child, el, parseXml, toXmlString, xmlText } from '../../../../src/virt/libvirt/xml';

describe('el', () => {
  it('drops null/undefined attributes and falsy children, stringifies numbers', () => {
    expect(el('a', { x: 1, y: null, z: undefined, b: true }, [el('c'), null, false, undefined], 7)).toEqual({
      name: 'a', attrs: { x: '1', b: 'true' }, children: [{ name: 'c', attrs: {}, children: [] }], text: '7',
    });
  });
});

describe('toXmlString', () => {
  it('pretty-prints with two spaces, no declaration, self-closes empty elements', () => {
    expect(toXmlString(el('domain', { type: 'qemu' }, [el('name', {}, [], 'x'), el('features', {}, [el('acpi')])]))).toBe(
      '<domain type="qemu">\n  <name>x</name>\n  <features>\n    <acpi/>\n  </features>\n</domain>\n');
  });

  it.each([
    ['text', el('t', {}, [], `<x&y> "'q'" ]]> $(touch pwned)`), '<t>&lt;x&amp;y&gt; "\'q\'" ]]&gt; $(touch pwned)</t>\n'],
    ['attribute', el('t', { v: `a"b<c&d'e` }), '<t v="a&quot;b&lt;c&amp;d\'e"/>\n'],
    ['attribute line break', el('t', { v: 'a\nb\tc' }), '<t v="a&#xA;b&#x9;c"/>\n'],
  ])('escapes %s content through the library', (_what, node, expected) => {
    expect(toXmlString(node)).toBe(expected);
  });

  it('keeps siblings of one name together at the place of the first', () => {
    const xml = toXmlString(el('d', {}, [el('disk', { n: 1 }), el('serial'), el('disk', { n: 2 })]));
    expect(parseXml(xml).children.map((c) => `${c.name}${c.attrs.n ?? ''}`)).toEqual(['disk1', 'disk2', 'serial']);
  });

  it.each([
    ['NUL in text', el('t', {}, [], 'a\u0000b')],
    ['lone surrogate in text', el('t', {}, [], 'a\ud800b')],
    ['control char in attribute', el('t', { file: '/tmp/a\u0001' })],
  ])('refuses %s with an InvalidInputError', (_what, node) => {
    expect(() => toXmlString(node)).toThrow(InvalidInputError);
  });
});

describe('xmlText', () => {
  it.each([
    ['a\u0000b', 'ab'],
    ['x\u0001\u0008\u000b\u000c\u001fy', 'xy'],
    ['tab\tlf\ncr\r', 'tab\tlf\ncr\r'],
    ['lone \ud800 high, lone \udc00 low', 'lone  high, lone  low'],
    ['pair \u{1F600} kept', 'pair \u{1F600} kept'],
    ['\uFFFE\uFFFF', ''],
    ['é ß 日本 \u202Eabc', 'é ß 日本 \u202Eabc'],
  ])('strips what XML 1.0 cannot carry: %j', (input, expected) => {
    expect(xmlText(input)).toBe(expected);
  });
});

describe('parseXml', () => {
  it('round-trips names, attributes, text and child order', () => {
    const tree = el('domain', { type: 'kvm', 'xmlns:n': 'urn:x' }, [
      el('name', {}, [], ' spaced & <odd> '),
      el('n:meta', { v: 'line1\nline2' }, [el('n:x', {}, [], '1')]),
      el('empty'),
      el('cr', {}, [], 'a\r\nb'),
    ]);
    expect(parseXml(toXmlString(tree))).toEqual(tree);
  });

  it('returns the root element and offers child()', () => {
    const root = parseXml("<a><b k='1'/><c>t</c></a>");
    expect(root.name).toBe('a');
    expect(child(root, 'c')?.text).toBe('t');
    expect(child(root, 'zzz')).toBeUndefined();
  });

  it.each([
    ['unclosed', '<a><b></a>'],
    ['empty', ''],
    ['not xml', 'hello'],
    ['DTD entity (never expanded)', '<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'],
  ])('refuses %s input', (_what, text) => {
    expect(() => parseXml(text)).toThrow(InvalidInputError);
  });
});
