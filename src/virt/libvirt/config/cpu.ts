/** `<cpu>`: the CPU model the guest sees, and its topology. */
import { ConfigInit, el, XmlNode } from '../xml';

export type CpuMode = 'host-model' | 'host-passthrough' | 'custom' | 'maximum';

export interface CpuTopology { sockets: number; cores: number; threads: number }

export class CpuConfig {
  mode: CpuMode = 'host-model';
  /** Only meaningful for mode custom (e.g. qemu64, Broadwell). */
  model: string | null = null;
  check: 'none' | 'partial' | 'full' | null = null;
  topology: CpuTopology | null = null;

  constructor(init: ConfigInit<CpuConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    const custom = this.mode === 'custom';
    return el('cpu', { mode: this.mode, match: custom ? 'exact' : null, check: this.check }, [
      custom && this.model !== null && el('model', { fallback: 'forbid' }, [], this.model),
      this.topology && el('topology', { ...this.topology }),
    ]);
  }
}
