import type { Item, Supplier } from '@/types/catalog'
import type { Project } from '@/types/projects'
import { getItem, getSupplier } from './catalog'
import { getProject } from './projects'

/**
 * Reference records by id for labels (supplier and item names on requisition lines,
 * the project in a header): fetched once per page life, quietly; null when unreadable.
 */
const cache = new Map<string, Promise<unknown>>()

function cached<T>(kind: string, id: number, load: () => Promise<T>): Promise<T | null> {
  const key = `${kind}:${id}`
  let hit = cache.get(key) as Promise<T | null> | undefined
  if (!hit) {
    hit = load().catch(() => {
      cache.delete(key)
      return null
    })
    cache.set(key, hit)
  }
  return hit
}

export const supplierById = (id: number) =>
  cached<Supplier>('supplier', id, () => getSupplier(id, { silent: true }))
export const itemById = (id: number) =>
  cached<Item>('item', id, () => getItem(id, { silent: true }))
export const projectById = (id: number) =>
  cached<Project>('project', id, () => getProject(id, { silent: true }))

/** After an edit, so labels show the new name. */
export function forgetCached(kind?: 'supplier' | 'item' | 'project', id?: number): void {
  if (!kind) cache.clear()
  else if (id !== undefined) cache.delete(`${kind}:${id}`)
  else for (const key of [...cache.keys()]) if (key.startsWith(`${kind}:`)) cache.delete(key)
}
