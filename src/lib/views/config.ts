/** Serializer for `config show`: effective values with their source, secrets masked. */
import type { Config } from '../config';
import { isSecretKey } from '../config-schema';
import { maskUrl } from '../db/url';

export interface ConfigEntryView { section: string; key: string; value: unknown; source: string; origin: string | null }

export function configView(cfg: Config): { file: string | null; options: ConfigEntryView[]; warnings: string[] } {
  const options = cfg.entries().map((e) => {
    let value = e.value;
    if (isSecretKey(e.section, e.key) && typeof value === 'string') {
      value = /:\/\//.test(value) ? maskUrl(value) : value ? '****' : value;
    }
    return { section: e.section, key: e.key, value, source: e.source, origin: e.origin ?? null };
  });
  return { file: cfg.file, options, warnings: cfg.warnings };
}
