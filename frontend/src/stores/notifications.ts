import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as notificationsApi from '@/api/notifications'
import { isApiError } from '@/api/errors'
import type { AppNotification, NotificationList } from '@/types/notifications'

const MAX_KEPT = 200
const PAGE_SIZE = 50
/** A reconnect after a long absence catches up on at most this many pages of 100. */
const MAX_CATCH_UP_PAGES = 2

export function isUnread(n: AppNotification): boolean {
  return !n.is_read && !n.read_at
}

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([])
  const loading = ref(false)
  /** False when the server has no notifications API (404): the UI shows an empty state. */
  const available = ref(true)
  /** The server's count of all my unread notifications (covers pages not loaded). */
  const serverUnread = ref<number | null>(null)
  /** The highest id ever seen in this session, even once trimmed from `items`. */
  const highestSeenId = ref<number | undefined>(undefined)

  const unreadCount = computed(() => serverUnread.value ?? items.value.filter(isUnread).length)
  const latestId = computed(() => highestSeenId.value)

  function see(list: AppNotification[]): void {
    for (const n of list) {
      if (highestSeenId.value === undefined || n.id > highestSeenId.value)
        highestSeenId.value = n.id
    }
  }

  function merge(incoming: AppNotification[]): void {
    const byId = new Map(items.value.map((n) => [n.id, n]))
    for (const n of incoming) byId.set(n.id, { ...byId.get(n.id), ...n })
    items.value = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, MAX_KEPT)
    see(incoming)
  }

  function takeCount(data: NotificationList | undefined): void {
    if (typeof data?.unread_count === 'number') serverUnread.value = data.unread_count
  }

  /** Everything newer than `sinceId`, a few pages at most. */
  async function catchUp(sinceId: number): Promise<void> {
    for (let page = 1; page <= MAX_CATCH_UP_PAGES; page++) {
      const data = await notificationsApi.listNotifications({
        since_id: sinceId,
        page,
        per_page: 100,
      })
      merge(data?.notifications ?? [])
      takeCount(data)
      if (!data?.pagination || page >= data.pagination.pages) break
    }
  }

  /** Loads the newest page; with `sinceId` only what was missed (after a reconnect). */
  async function fetch(sinceId?: number): Promise<void> {
    loading.value = true
    try {
      if (sinceId) {
        await catchUp(sinceId)
      } else {
        const data = await notificationsApi.listNotifications({ per_page: PAGE_SIZE })
        const list = data?.notifications ?? []
        items.value = [...list].sort((a, b) => b.id - a.id)
        see(list)
        // Without a server count, the loaded page is all we know.
        serverUnread.value = null
        takeCount(data)
      }
      available.value = true
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
    const readAt = new Date().toISOString()
    Object.assign(target, { is_read: true, read_at: readAt })
    if (serverUnread.value !== null) serverUnread.value = Math.max(0, serverUnread.value - 1)
    try {
      const data = await notificationsApi.markNotificationRead(id)
      if (data?.notification) Object.assign(target, { read_at: data.notification.read_at })
      if (typeof data?.unread_count === 'number') serverUnread.value = data.unread_count
    } catch (error) {
      // Gone (404) stays read here; anything else is shown as unread again.
      if (!(isApiError(error) && error.status === 404)) {
        Object.assign(target, { is_read: false, read_at: null })
        if (serverUnread.value !== null) serverUnread.value += 1
      }
    }
  }

  async function markAllRead(): Promise<void> {
    const now = new Date().toISOString()
    const marked = items.value.filter(isUnread)
    const before = serverUnread.value
    for (const n of marked) Object.assign(n, { is_read: true, read_at: now })
    serverUnread.value = 0
    try {
      const data = await notificationsApi.markAllNotificationsRead()
      if (typeof data?.unread_count === 'number') serverUnread.value = data.unread_count
    } catch {
      for (const n of marked) Object.assign(n, { is_read: false, read_at: null })
      serverUnread.value = before
    }
  }

  function reset(): void {
    items.value = []
    serverUnread.value = null
    highestSeenId.value = undefined
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
