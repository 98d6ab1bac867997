import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as notificationsApi from '@/api/notifications'
import { useNotificationsStore } from '@/stores/notifications'
import type { AppNotification } from '@/types/notifications'
import { bus } from './bus'
import { startRealtime, stopRealtime } from './socket'

type Listener = (...args: unknown[]) => void

// A stand-in for the socket.io client: the test fires its events by hand.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>()
  const socket = {
    active: true,
    io: { removeAllListeners: () => undefined },
    on(event: string, fn: (...args: unknown[]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), fn])
      return socket
    },
    removeAllListeners: () => listeners.clear(),
    disconnect: () => undefined,
    connect: () => undefined,
  }
  const fire = (event: string, ...args: unknown[]) =>
    (listeners.get(event) ?? []).forEach((fn) => fn(...args))
  return { socket, fire }
})

vi.mock('socket.io-client', () => ({ io: () => fake.socket }))
vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(),
  markNotificationRead: vi.fn(async () => ({ notification: {}, unread_count: 0 })),
}))

const note = (id: number): AppNotification => ({
  id,
  type: 'approval_assigned',
  title: `Approval needed: REQ-2026-0000${id}`,
  body: 'Bearings',
  link: `/requisitions/${id}`,
  created_at: '2026-01-09T10:00:00Z',
})

beforeEach(() => {
  setActivePinia(createPinia())
  document.body.innerHTML = ''
  vi.mocked(notificationsApi.listNotifications).mockReset()
  vi.mocked(notificationsApi.listNotifications).mockResolvedValue({ notifications: [] })
})

afterEach(() => {
  stopRealtime()
  bus.clear()
})

describe('realtime socket', () => {
  it('catches up from the highest id seen after a reconnect', async () => {
    startRealtime()
    fake.fire('connect')
    expect(notificationsApi.listNotifications).not.toHaveBeenCalled()
    fake.fire('notification', note(7))
    fake.fire('disconnect')
    fake.fire('connect')
    await vi.waitFor(() =>
      expect(notificationsApi.listNotifications).toHaveBeenCalledWith({
        since_id: 7,
        page: 1,
        per_page: 100,
      }),
    )
  })

  it('rebroadcasts a notification and toasts it with a "View" link', async () => {
    const heard: Listener = vi.fn()
    const navigate: Listener = vi.fn()
    bus.on('notification', heard)
    bus.on('navigate', navigate)
    startRealtime()
    fake.fire('notification', note(3))
    expect(heard).toHaveBeenCalledWith(note(3))
    expect(useNotificationsStore().items.map((n) => n.id)).toEqual([3])

    const view = await vi.waitFor(() => {
      const link = document.querySelector<HTMLAnchorElement>('[data-test="toast-view"]')
      expect(link).not.toBeNull()
      return link!
    })
    expect(view.getAttribute('href')).toBe('/requisitions/3')
    view.click()
    expect(navigate).toHaveBeenCalledWith('/requisitions/3')
    expect(notificationsApi.markNotificationRead).toHaveBeenCalledWith(3)
  })

  it('offers no "View" for a link outside the app', async () => {
    startRealtime()
    fake.fire('notification', { ...note(4), link: 'https://evil.example/' })
    await vi.waitFor(() => expect(document.body.textContent).toContain('Bearings'))
    expect(document.querySelector('[data-test="toast-view"]')).toBeNull()
  })
})
