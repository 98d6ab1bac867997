import type { ImportJob, ImportKind, ImportProgress } from '@/types/imports'
import { API_BASE, api, type RequestOptions } from './http'

export async function listImportKinds(opts: RequestOptions = {}): Promise<ImportKind[]> {
  return (await api.get<{ kinds: ImportKind[] }>('/imports/kinds', undefined, opts)).kinds
}

export async function uploadImport(kind: string, file: File): Promise<ImportJob> {
  const form = new FormData()
  form.append('file', file)
  return (await api.post<{ import: ImportJob }>(`/imports/${kind}`, form)).import
}

export async function getImport(id: number, opts: RequestOptions = {}): Promise<ImportJob> {
  return (await api.get<{ import: ImportJob }>(`/imports/${id}`, undefined, opts)).import
}

export async function commitImport(id: number): Promise<ImportJob> {
  return (await api.post<{ import: ImportJob }>(`/imports/${id}/commit`)).import
}

export const templateUrl = (kind: string) => `${API_BASE}/imports/${kind}/template`
export const errorReportUrl = (id: number) => `${API_BASE}/imports/${id}/error-report`

/** Whole percent of the rows done; a job that has not reported yet is at 0. */
export function percentDone(progress: Pick<ImportProgress, 'done' | 'total'> | null): number {
  if (!progress || progress.total <= 0) return 0
  return Math.min(100, Math.floor((progress.done * 100) / progress.total))
}

/** States in which the page keeps listening and polling. */
export function isRunning(job: Pick<ImportJob, 'status'> | null): boolean {
  return job !== null && (job.status === 'uploaded' || job.status === 'committing')
}
