import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as notificationsApi from '@/api/notifications'
import { ApiError } from '@/api/errors'
import type { AppNotification } from '@/types/notifications'
import { useNotificationsStore } from './notifications'

vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(),
  markNotificationRead: vi.fn(() => Promise.resolve()),
  markAllNotificationsRead: vi.fn(() => Promise.resolve({ marked: 2, unread_count: 0 })),
}))

const note = (id: number, read = false): AppNotification => ({
  id,
  type: 'requisition.approved',
  title: `N${id}`,
  body: '',
  link: null,
  created_at: '2026-01-09T10:00:00Z',
  is_read: read,
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(notificationsApi.listNotifications).mockReset()
})

describe('notifications store', () => {
  it('shows an empty, unavailable state when the API does not exist yet', async () => {
    vi.mocked(notificationsApi.listNotifications).mockRejectedValue(
      new ApiError(404, 'NOT_FOUND', 'Not found'),
    )
    const store = useNotificationsStore()
    await store.fetch()
    expect(store.available).toBe(false)
    expect(store.items).toEqual([])
    expect(store.unreadCount).toBe(0)
  })

  it('lists newest first and counts unread', async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValue({
      notifications: [note(1, true), note(3), note(2)],
    })
    const store = useNotificationsStore()
    await store.fetch()
    expect(store.items.map((n) => n.id)).toEqual([3, 2, 1])
    expect(store.unreadCount).toBe(2)
    expect(store.latestId).toBe(3)
  })

  it('adds pushed notifications once and bumps the server count', async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValue({
      notifications: [note(1)],
      unread_count: 7,
    })
    const store = useNotificationsStore()
    await store.fetch()
    store.push(note(2))
    store.push(note(2))
    expect(store.items.map((n) => n.id)).toEqual([2, 1])
    expect(store.unreadCount).toBe(8)
  })

  it('fetches only what was missed after a reconnect', async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValueOnce({
      notifications: [note(1)],
    })
    const store = useNotificationsStore()
    await store.fetch()
    vi.mocked(notificationsApi.listNotifications).mockResolvedValueOnce({
      notifications: [note(2), note(3)],
    })
    await store.fetch(store.latestId)
    expect(notificationsApi.listNotifications).toHaveBeenLastCalledWith({
      since_id: 1,
      page: 1,
      per_page: 100,
    })
    expect(store.items.map((n) => n.id)).toEqual([3, 2, 1])
  })

  it('catches up from the highest id seen, over several pages, with the server count', async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValueOnce({
      notifications: [note(5)],
      unread_count: 1,
    })
    const store = useNotificationsStore()
    await store.fetch()
    store.push(note(9)) // seen live, then the socket dropped
    expect(store.latestId).toBe(9)
    vi.mocked(notificationsApi.listNotifications)
      .mockResolvedValueOnce({
        notifications: [note(12), note(11)],
        pagination: { page: 1, per_page: 100, total: 3, pages: 2 },
        unread_count: 5,
      })
      .mockResolvedValueOnce({
        notifications: [note(10)],
        pagination: { page: 2, per_page: 100, total: 3, pages: 2 },
        unread_count: 5,
      })
    await store.fetch(store.latestId)
    expect(notificationsApi.listNotifications).toHaveBeenCalledWith({
      since_id: 9,
      page: 2,
      per_page: 100,
    })
    expect(store.items.map((n) => n.id)).toEqual([12, 11, 10, 9, 5])
    expect(store.unreadCount).toBe(5)
    expect(store.latestId).toBe(12)
  })

  it("marks one read and takes the server's unread count", async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValue({
      notifications: [note(1), note(2)],
      unread_count: 4,
    })
    vi.mocked(notificationsApi.markNotificationRead).mockResolvedValueOnce({
      notification: { ...note(2), read_at: '2026-01-09T11:00:00Z' },
      unread_count: 3,
    })
    const store = useNotificationsStore()
    await store.fetch()
    await store.markRead(2)
    expect(notificationsApi.markNotificationRead).toHaveBeenCalledWith(2)
    expect(store.items.find((n) => n.id === 2)?.read_at).toBe('2026-01-09T11:00:00Z')
    expect(store.unreadCount).toBe(3)
  })

  it('shows a notification unread again when marking it read fails', async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValue({
      notifications: [note(1)],
      unread_count: 1,
    })
    vi.mocked(notificationsApi.markNotificationRead).mockRejectedValueOnce(
      new ApiError(0, 'NETWORK_ERROR', 'offline'),
    )
    const store = useNotificationsStore()
    await store.fetch()
    await store.markRead(1)
    expect(store.items[0]?.read_at).toBeNull()
    expect(store.unreadCount).toBe(1)
  })

  it('marks everything read', async () => {
    vi.mocked(notificationsApi.listNotifications).mockResolvedValue({
      notifications: [note(1), note(2)],
    })
    const store = useNotificationsStore()
    await store.fetch()
    await store.markAllRead()
    expect(store.unreadCount).toBe(0)
    expect(notificationsApi.markAllNotificationsRead).toHaveBeenCalled()
  })
})
