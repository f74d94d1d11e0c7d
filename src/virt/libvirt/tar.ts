/**
 * A minimal ustar writer, so a spawn sends every small file it needs (domain XML, config-drive
 * tree) as one stream on the command's stdin: one round trip instead of one SFTP call per file.
 */

export interface TarEntry {
  /** Relative path (no leading slash, no `..`), under 100 bytes. */
  name: string;
  data: string | Buffer;
  mode?: number;
}

function field(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'ascii');
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0');
}

function header(name: string, size: number, mode: number, type: '0' | '5'): Buffer {
  if (!name || name.startsWith('/') || name.split('/').includes('..') || Buffer.byteLength(name) >= 100 || /[^\x20-\x7e]/.test(name)) {
    throw new TypeError(`Not a safe tar entry name: ${JSON.stringify(name)}`);
  }
  const h = Buffer.alloc(512, 0);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(mode, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(size, 12));
  field(h, 136, 12, octal(Math.floor(Date.now() / 1000), 12));
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  field(h, 156, 1, type);
  field(h, 257, 6, 'ustar');
  field(h, 263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  field(h, 148, 8, `${octal(sum, 7)}\0`);
  return h;
}

/** The archive for `tar -x`: directories are implied by `mkdir -p` of each file's parent. */
export function tarOf(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const e of entries) {
    const segs = e.name.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = `${segs.slice(0, i).join('/')}/`;
      if (!dirs.has(d)) { dirs.add(d); parts.push(header(d, 0, 0o755, '5')); }
    }
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    parts.push(header(e.name, data.length, e.mode ?? 0o644, '0'), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}
