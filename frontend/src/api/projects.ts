import type { Project, ProjectBody, ProjectList, ProjectListParams } from '@/types/projects'
import { api, type RequestOptions } from './http'

export function listProjects(params: ProjectListParams = {}, opts: RequestOptions = {}) {
  return api.get<ProjectList>('/projects', params, opts)
}

export async function getProject(id: number, opts: RequestOptions = {}): Promise<Project> {
  return (await api.get<{ project: Project }>(`/projects/${id}`, undefined, opts)).project
}

export async function createProject(body: ProjectBody, opts: RequestOptions = {}) {
  return (await api.post<{ project: Project }>('/projects', body, opts)).project
}

export async function updateProject(
  id: number,
  body: ProjectBody & { version: number },
  opts: RequestOptions = {},
): Promise<Project> {
  return (await api.put<{ project: Project }>(`/projects/${id}`, body, opts)).project
}
