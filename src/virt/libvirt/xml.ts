/**
 * The one door between novalite and XML text: config classes describe elements as neutral
 * `XmlNode` trees, and only this module turns them into text (xml2js's Builder, which does all
 * escaping) or text back into trees. No other module imports xml2js or builds XML by hand.
 */
import { Builder, Parser } from 'xml2js';
import { InvalidInputError } from '../../lib/errors';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Character content; only kept for elements without children (libvirt uses no mixed content). */
  text?: string;
}

/** The fields of a config class, without its methods: what its constructor accepts. */
export type ConfigInit<T> = { [K in keyof T as T[K] extends (...a: never[]) => unknown ? never : K]?: T[K] };

type AttrValue = string | number | boolean | null | undefined;

/** An element; attributes that are null/undefined and children that are falsy are left out. */
export function el(
  name: string,
  attrs: Record<string, AttrValue> = {},
  children: Array<XmlNode | null | undefined | false> = [],
  text?: string | number,
): XmlNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) a[k] = String(v);
  const node: XmlNode = { name, attrs: a, children: children.filter((c): c is XmlNode => !!c) };
  if (text !== undefined) node.text = String(text);
  return node;
}

// Keys that cannot be XML names, so no element or attribute can collide with them.
const ATTR = '@';
const CHAR = '#';

// XML 1.0 `Char`: everything outside it (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, unpaired
// surrogates) cannot be written at all, not even as a character reference.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Free text a user typed (server names, flavor names) may hold characters XML 1.0 cannot
 * carry; they are dropped here rather than refusing the server. Identifiers and paths are
 * never passed through this: for them toXmlString refuses instead, so a path is never altered.
 */
export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, '');
}

function toBuilderObject(node: XmlNode): Record<string, unknown> {
  const o: Record<string, unknown> = Object.create(null);
  if (Object.keys(node.attrs).length) o[ATTR] = { ...node.attrs };
  if (node.children.length === 0 && node.text !== undefined) o[CHAR] = node.text;
  // xml2js takes an object per element, so siblings of one name are written together at the
  // place of the first; libvirt's schema interleaves elements, so that order carries no meaning.
  for (const child of node.children) {
    const value = toBuilderObject(child);
    const prev = o[child.name];
    if (prev === undefined) o[child.name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else o[child.name] = [prev, value];
  }
  return o;
}

/** Renders a tree as pretty-printed (2-space) XML text without a declaration. */
export function toXmlString(node: XmlNode): string {
  const builder = new Builder({
    headless: true,
    attrkey: ATTR,
    charkey: CHAR,
    renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  });
  try {
    return `${builder.buildObject({ [node.name]: toBuilderObject(node) })}\n`;
  } catch (err) {
    // xmlbuilder refuses characters XML 1.0 cannot represent (NUL, lone surrogates …).
    throw new InvalidInputError(`A value cannot be written as XML: ${(err as Error).message}`, {
      code: 'INVALID_XML_VALUE',
      hint: 'Remove control characters (such as NUL) from names, paths and other values.',
      cause: err,
    });
  }
}

interface RawNode { '#name': string; [ATTR]?: Record<string, string>; [CHAR]?: string; $$?: RawNode[] }

function fromRaw(raw: RawNode): XmlNode {
  const children = (raw.$$ ?? []).map(fromRaw);
  const node: XmlNode = { name: raw['#name'], attrs: { ...(raw[ATTR] ?? {}) }, children };
  // Whitespace-only text is dropped by xml2js, and text beside children is layout only.
  if (children.length === 0 && raw[CHAR] !== undefined) node.text = raw[CHAR];
  return node;
}

/** Parses one XML document (strict; no DTD entities are expanded) into a tree. */
export function parseXml(text: string): XmlNode {
  const parser = new Parser({
    async: false,
    strict: true,
    attrkey: ATTR,
    charkey: CHAR,
    explicitCharkey: true,
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitRoot: true,
  });
  let result: Record<string, RawNode> | undefined;
  let failure: unknown;
  // With async:false xml2js calls back before parseString returns.
  parser.parseString(text, (err: unknown, res: Record<string, RawNode>) => {
    if (err) failure = err;
    else result = res;
  });
  if (failure !== undefined || !result || Object.keys(result).length !== 1) {
    const why = failure instanceof Error ? failure.message : 'no root element';
    throw new InvalidInputError(`Not well-formed XML: ${why}`, { code: 'INVALID_XML', cause: failure });
  }
  return fromRaw(Object.values(result)[0]);
}

/** The first child of `node` called `name`, if any. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}
