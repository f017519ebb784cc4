// Built-in templates plus the user's, saved as `templates/<id>.json` in the data folder.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TemplateSummary } from '../../../shared/api';
import type { MediaRef, Draft } from '../../../shared/draft';
import { writeJsonAtomic } from '../fs-atomic';
import { applyTemplateToProject, summarise, TemplateError, templateFromProject, type ApplyMode } from './apply';
import { BUILT_IN_TEMPLATES } from './builtins';
import { TemplateDefinition } from './model';

export interface TemplateStore {
  list(): Promise<TemplateSummary[]>;
  get(id: string): Promise<TemplateDefinition>;
  /** `lookupMedia` finds media not yet in the project (just imported). */
  apply(templateId: string, project: Draft, mediaIds: string[], lookupMedia?: (id: string) => MediaRef | undefined, mode?: ApplyMode): Promise<Draft>;
  saveFromProject(project: Draft, name: string): Promise<TemplateSummary>;
}

export function createTemplateStore(dir: string, now: () => Date = () => new Date()): TemplateStore {
  async function userTemplates(): Promise<TemplateDefinition[]> {
    await mkdir(dir, { recursive: true });
    const out: TemplateDefinition[] = [];
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
      try {
        out.push(TemplateDefinition.parse(JSON.parse(await readFile(join(dir, name), 'utf8'))));
      } catch (err) {
        console.warn(`templates: skipped unreadable ${name}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async function get(id: string): Promise<TemplateDefinition> {
    const found = BUILT_IN_TEMPLATES.find((t) => t.id === id) ?? (await userTemplates()).find((t) => t.id === id);
    if (!found) throw TemplateError.of('not-found', 'No template with id "{{id}}"', { id }, 'templateId');
    return found;
  }

  return {
    async list() {
      return [...BUILT_IN_TEMPLATES.map((t) => summarise(t, true)), ...(await userTemplates()).map((t) => summarise(t, false))];
    },
    get,
    async apply(templateId, project, mediaIds, lookupMedia, mode = 'replace') {
      const template = await get(templateId);
      const inProject = new Map(project.media.map((m) => [m.id, m]));
      const media = mediaIds.map((id, i) => {
        const ref = inProject.get(id) ?? lookupMedia?.(id);
        if (!ref) throw TemplateError.of('unknown-media', 'mediaIds[{{i}}]: unknown media "{{id}}" (import it first)', { i, id }, `mediaIds[${i}]`);
        return ref;
      });
      return applyTemplateToProject(template, project, media, { now: now().toISOString(), mode });
    },
    async saveFromProject(project, name) {
      if (!name.trim()) throw TemplateError.of('invalid-input', 'name: must not be empty', {}, 'name');
      const template = TemplateDefinition.parse(templateFromProject(project, name, `user-${randomUUID()}`));
      await writeJsonAtomic(join(dir, `${template.id}.json`), template);
      return summarise(template, false);
    },
  };
}
