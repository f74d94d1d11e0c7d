/**
 * Domain XML reduced to what we decide, for comparing the XML we generate with what a host
 * reports (`virsh dumpxml --inactive`; live XML also expands host-model CPUs, which is drift
 * this cannot hide). Everything libvirt fills in on its own is removed, attributes are sorted.
 */
import { child, parseXml, toXmlString, type XmlNode } from '../xml';

// Runtime bookkeeping libvirt adds anywhere in the tree.
const NOISE = new Set(['alias', 'address', 'seclabel', 'backingStore']);
// Devices libvirt adds when a domain has none of them; kept when the reference asks for them.
const AUTO_DEVICES = ['emulator', 'controller', 'input', 'audio'];
// libvirt stores the versioned machine an alias resolved to; the alias is what we chose.
const MACHINE_ALIASES: Array<[RegExp, string]> = [[/^pc-i440fx-[\d.]+$/, 'pc'], [/^pc-q35-[\d.]+$/, 'q35']];

const sameNode = (a?: XmlNode, b?: XmlNode): boolean =>
  !!a && !!b && a.text === b.text && (a.attrs.unit ?? 'KiB') === (b.attrs.unit ?? 'KiB');

/** libvirt's stand-in when a domain names no CPU: a custom qemu64/kvm64 with nothing else. */
function isDefaultCpu(cpu: XmlNode): boolean {
  const model = child(cpu, 'model');
  return cpu.attrs.mode === 'custom' && cpu.children.length === 1 && !!model && /^(qemu|kvm)64$/.test(model.text ?? '');
}

function without(node: XmlNode, attrs: string[]): XmlNode {
  const a = { ...node.attrs };
  for (const k of attrs) delete a[k];
  return { ...node, attrs: a };
}

/** Per-element clean-up; `keep` are the auto-added device kinds the reference itself has. */
function tidy(node: XmlNode, parent: string, keep: Set<string>): XmlNode | null {
  let n = node;
  if (NOISE.has(n.name)) return null;
  if (parent === 'devices' && AUTO_DEVICES.includes(n.name) && !keep.has(n.name)) return null;
  if (n.name === 'domain' && parent === '') {
    n = without(n, ['id']);
    const mem = child(n, 'memory');
    n = { ...n, children: n.children.filter((c) =>
      c.name !== 'resource' && !(c.name === 'currentMemory' && sameNode(c, mem)) && !(c.name === 'cpu' && isDefaultCpu(c))) };
  }
  // With direct kernel boot libvirt still records a default boot device of its own.
  if (n.name === 'os' && child(n, 'kernel')) n = { ...n, children: n.children.filter((c) => !(c.name === 'boot' && c.attrs.dev === 'hd')) };
  if (n.name === 'type' && parent === 'os' && n.attrs.machine) {
    const alias = MACHINE_ALIASES.find(([re]) => re.test(n.attrs.machine));
    if (alias) n = { ...n, attrs: { ...n.attrs, machine: alias[1] } };
  }
  // A pty's path and the console's mirror of the serial port exist only while running.
  if (n.name === 'console') n = { ...without(n, ['tty']), children: n.children.filter((c) => c.name === 'target') };
  if (n.name === 'serial' && n.attrs.type === 'pty') n = { ...n, children: n.children.filter((c) => c.name !== 'source') };
  if (n.name === 'target' && parent === 'serial') n = { ...without(n, ['type']), children: [] };
  if (n.name === 'interface') {
    n = { ...n, children: n.children.filter((c) => !(c.name === 'target' && /^vnet\d+$/.test(c.attrs.dev ?? ''))) };
  }
  if (n.name === 'source') n = without(n, ['portid', 'index', ...(parent === 'interface' && n.attrs.network ? ['bridge'] : [])]);
  const attrs: Record<string, string> = {};
  for (const k of Object.keys(n.attrs).sort()) attrs[k] = n.attrs[k];
  const children = n.children.map((c) => tidy(c, n.name, keep)).filter((c): c is XmlNode => c !== null);
  return { ...n, attrs, children };
}

/**
 * Canonical text of a domain XML document. `reference` (usually our own XML) names the
 * auto-added device kinds to keep; without it they are all dropped. Idempotent.
 */
export function canonicalDomainXml(xml: string, reference?: string): string {
  const keep = new Set<string>();
  if (reference !== undefined) {
    for (const d of child(parseXml(reference), 'devices')?.children ?? []) keep.add(d.name);
  }
  return toXmlString(tidy(parseXml(xml), '', keep) as XmlNode);
}

/**
 * A line diff of two texts ("- " only in a, "+ " only in b, "  " both), empty when equal.
 * With `context`, unchanged lines further than that from a change are left out and "@@"
 * separates the hunks.
 */
export function diffLines(a: string, b: string, context = Infinity): string[] {
  if (a === b) return [];
  const x = a.replace(/\n$/, '').split('\n');
  const y = b.replace(/\n$/, '').split('\n');
  // Longest common subsequence table, from the end, then one greedy walk from the start.
  const w = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) { out.push(`  ${x[i++]}`); j++; }
    else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) out.push(`- ${x[i++]}`);
    else out.push(`+ ${y[j++]}`);
  }
  const changed = out.map((l) => !l.startsWith('  '));
  if (!changed.includes(true)) return [];
  if (!Number.isFinite(context)) return out;
  const shown = out.map((_, k) => changed.slice(Math.max(0, k - context), k + context + 1).includes(true));
  const hunks: string[] = [];
  out.forEach((l, k) => {
    if (!shown[k]) return;
    if (hunks.length > 0 && !shown[k - 1]) hunks.push('@@');
    hunks.push(l);
  });
  return hunks;
}
