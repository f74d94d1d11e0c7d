/** Small read helpers over the neutral XmlNode tree that xml.ts parses into. */
import type { XmlNode } from './xml';

export type { XmlNode };

/** Every descendant element with this name, depth first. */
export function findAll(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    for (const c of n.children ?? []) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

export function findFirst(node: XmlNode, name: string): XmlNode | null {
  return findAll(node, name)[0] ?? null;
}

export function textOf(node: XmlNode | null | undefined): string {
  return (node?.text ?? '').trim();
}
