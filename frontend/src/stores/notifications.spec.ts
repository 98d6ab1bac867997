import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as notificationsApi from '@/api/notifications'
import { ApiError } from '@/api/errors'
import type { AppNotification } from '@/types/notifications'
import { useNotificationsStore } from './notifications'

vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(),
  markNotificationRead: vi.fn(() => Promise.resolve()),
  markAllNotificationsRead: vi.fn(() => Promise.resolve()),
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
    expect(notificationsApi.listNotifications).toHaveBeenLastCalledWith({ since_id: 1 })
    expect(store.items.map((n) => n.id)).toEqual([3, 2, 1])
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
