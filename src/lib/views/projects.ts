/** Serializers for projects, shared by `--json` and (later) the Identity v3 subset: Keystone's project object. */
import type { Project } from '../model/images';

export interface ProjectView {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  domain_id: 'default';
}

export function projectView(p: Project): ProjectView {
  return { id: p.id, name: p.name, description: p.description, enabled: p.enabled, domain_id: 'default' };
}
