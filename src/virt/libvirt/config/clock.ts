/** `<clock>`: the guest's RTC offset and optional timer policies. */
import { ConfigInit, el, XmlNode } from '../xml';

export interface TimerConfig { name: string; tickpolicy?: string; present?: boolean }

export class ClockConfig {
  /** utc: the guest keeps UTC in its RTC (what Linux expects), independent of the host's zone. */
  offset: 'utc' | 'localtime' = 'utc';
  timers: TimerConfig[] = [];

  constructor(init: ConfigInit<ClockConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    const timers = this.timers.map((t) =>
      el('timer', { name: t.name, tickpolicy: t.tickpolicy, present: t.present === undefined ? null : t.present ? 'yes' : 'no' }));
    return el('clock', { offset: this.offset }, timers);
  }
}
