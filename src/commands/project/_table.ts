/** Human output shared by the project commands. */
import { Column, keyValues, table } from '../_render';
import type { ProjectView } from '../../lib/views/projects';

export function projectsTable(projects: ProjectView[], long = false): string {
  const cols: Column<ProjectView>[] = [{ header: 'ID', get: (p) => p.id }, { header: 'Name', get: (p) => p.name }];
  if (long) {
    cols.push({ header: 'Domain ID', get: (p) => p.domain_id }, { header: 'Description', get: (p) => p.description },
      { header: 'Enabled', get: (p) => p.enabled });
  }
  return table(projects, cols);
}

export function projectDetail(p: ProjectView): string {
  return keyValues({ id: p.id, name: p.name, description: p.description, enabled: p.enabled, domain_id: p.domain_id });
}
