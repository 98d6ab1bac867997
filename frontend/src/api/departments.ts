import type { PageParams } from '@/types/api'
import type { Department, DepartmentCreateBody, DepartmentList } from '@/types/identity'
import { api, type RequestOptions } from './http'

export function listDepartments(params: PageParams = {}, opts: RequestOptions = {}) {
  return api.get<DepartmentList>('/departments', params, opts)
}

/** Every department, for select boxes (lists are capped at 100 a page). */
export async function listAllDepartments(): Promise<Department[]> {
  const first = await listDepartments({ page: 1, per_page: 100, sort: 'name' })
  const all = [...first.departments]
  for (let page = 2; page <= Math.min(first.pagination.pages, 10); page++) {
    all.push(...(await listDepartments({ page, per_page: 100, sort: 'name' })).departments)
  }
  return all
}

export async function createDepartment(
  body: DepartmentCreateBody,
  opts: RequestOptions = {},
): Promise<Department> {
  return (await api.post<{ department: Department }>('/departments', body, opts)).department
}
