import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as notificationsApi from '@/api/notifications'
import { isApiError } from '@/api/errors'
import type { AppNotification } from '@/types/notifications'

const MAX_KEPT = 200

function isUnread(n: AppNotification): boolean {
  return !n.is_read && !n.read_at
}

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([])
  const loading = ref(false)
  /** False when the server has no notifications API (404): the UI shows an empty state. */
  const available = ref(true)
  const serverUnread = ref<number | null>(null)

  const unreadCount = computed(() => serverUnread.value ?? items.value.filter(isUnread).length)
  const latestId = computed(() =>
    items.value.reduce<number | undefined>(
      (max, n) => (max === undefined || n.id > max ? n.id : max),
      undefined,
    ),
  )

  function merge(incoming: AppNotification[]): void {
    const byId = new Map(items.value.map((n) => [n.id, n]))
    for (const n of incoming) byId.set(n.id, { ...byId.get(n.id), ...n })
    items.value = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, MAX_KEPT)
  }

  /** Loads the list; with `sinceId` only what was missed (after a reconnect). */
  async function fetch(sinceId?: number): Promise<void> {
    loading.value = true
    try {
      const data = await notificationsApi.listNotifications(
        sinceId ? { since_id: sinceId } : { per_page: 50 },
      )
      available.value = true
      const list = data?.notifications ?? []
      if (sinceId) merge(list)
      else items.value = [...list].sort((a, b) => b.id - a.id)
      // A server count covers pages we did not load; after a delta fetch it is recomputed.
      serverUnread.value = sinceId ? null : (data?.unread_count ?? null)
    } catch (error) {
      if (isApiError(error) && (error.status === 404 || error.status === 405)) {
        available.value = false
        items.value = []
        serverUnread.value = null
      }
    } finally {
      loading.value = false
    }
  }

  /** A notification pushed over the socket. */
  function push(notification: AppNotification): void {
    const known = items.value.some((n) => n.id === notification.id)
    merge([notification])
    if (!known && serverUnread.value !== null && isUnread(notification)) serverUnread.value += 1
  }

  async function markRead(id: number): Promise<void> {
    const target = items.value.find((n) => n.id === id)
    if (!target || !isUnread(target)) return
    target.is_read = true
    target.read_at = new Date().toISOString()
    if (serverUnread.value !== null) serverUnread.value = Math.max(0, serverUnread.value - 1)
    await notificationsApi.markNotificationRead(id).catch(() => undefined)
  }

  async function markAllRead(): Promise<void> {
    const now = new Date().toISOString()
    for (const n of items.value) if (isUnread(n)) Object.assign(n, { is_read: true, read_at: now })
    serverUnread.value = 0
    await notificationsApi.markAllNotificationsRead().catch(() => undefined)
  }

  function reset(): void {
    items.value = []
    serverUnread.value = null
    available.value = true
  }

  return {
    items,
    loading,
    available,
    unreadCount,
    latestId,
    fetch,
    push,
    markRead,
    markAllRead,
    reset,
  }
})
