import { onBeforeUnmount } from 'vue'
import type { DocumentActivity } from '@/types/documents'
import type { AppNotification, StatusUpdate } from '@/types/notifications'

/**
 * Events the socket re-broadcasts to views, and `navigate`: an in-app path the user chose
 * outside the router (a toast's "View"), which the app's router follows.
 */
export interface RealtimeEvents {
  status_update: StatusUpdate
  notification: AppNotification
  progress: {
    job_id: string
    done: number
    total: number
    state: string
    /** Exports: the file to download once `state` is Done, or why it failed. */
    percent?: number
    download?: string
    error?: string
  }
  connection: { connected: boolean }
  navigate: string
  document_activity: DocumentActivity
}

type Handler<T> = (payload: T) => void
type Key = keyof RealtimeEvents

const handlers = new Map<Key, Set<Handler<never>>>()

export const bus = {
  on<K extends Key>(event: K, handler: Handler<RealtimeEvents[K]>): () => void {
    let set = handlers.get(event)
    if (!set) handlers.set(event, (set = new Set()))
    set.add(handler as Handler<never>)
    return () => set.delete(handler as Handler<never>)
  },
  emit<K extends Key>(event: K, payload: RealtimeEvents[K]): void {
    for (const handler of handlers.get(event) ?? []) {
      try {
        ;(handler as Handler<RealtimeEvents[K]>)(payload)
      } catch (error) {
        console.error(`[realtime] ${event} handler failed`, error)
      }
    }
  },
  clear(): void {
    handlers.clear()
  },
}

/** Subscribe for the life of the calling component. */
export function useRealtime<K extends Key>(event: K, handler: Handler<RealtimeEvents[K]>): void {
  const off = bus.on(event, handler)
  onBeforeUnmount(off)
}
