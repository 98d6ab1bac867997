import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as notificationsApi from '@/api/notifications'
import type { AppNotification } from '@/types/notifications'
import NotificationBell from './NotificationBell.vue'

vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(),
  markNotificationRead: vi.fn(),
  markAllNotificationsRead: vi.fn(),
}))

const note = (id: number, link: string | null): AppNotification => ({
  id,
  type: 'approval_assigned',
  title: `Approval needed: REQ-2026-0000${id}`,
  body: 'Bearings',
  link,
  created_at: '2026-01-09T10:00:00Z',
  read_at: null,
})

async function setup() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:rest(.*)*', component: { template: '<div />' } }],
  })
  await router.push('/')
  const wrapper = mount(NotificationBell, {
    global: { plugins: [router] },
    attachTo: document.body,
  })
  await wrapper.find('[data-test="bell"]').trigger('click')
  await flushPromises()
  return { wrapper, router }
}

const items = () => [...document.querySelectorAll<HTMLElement>('[data-test="notification-item"]')]

beforeEach(() => {
  setActivePinia(createPinia())
  document.body.innerHTML = ''
  vi.mocked(notificationsApi.listNotifications).mockResolvedValue({
    notifications: [note(2, '/requisitions/2'), note(1, 'https://evil.example/')],
    pagination: { page: 1, per_page: 50, total: 2, pages: 1 },
    unread_count: 2,
  })
  vi.mocked(notificationsApi.markNotificationRead).mockImplementation(async (id) => ({
    notification: { ...note(id, null), read_at: '2026-01-09T11:00:00Z' },
    unread_count: 1,
  }))
})

describe('NotificationBell', () => {
  it('marks a notification read and opens its link', async () => {
    const { router } = await setup()
    expect(items()).toHaveLength(2)
    items()[0]!.click()
    await flushPromises()
    expect(notificationsApi.markNotificationRead).toHaveBeenCalledWith(2)
    expect(router.currentRoute.value.fullPath).toBe('/requisitions/2')
    expect(items()[0]!.dataset.unread).toBe('false')
  })

  it('never follows a link outside the app', async () => {
    const { router } = await setup()
    items()[1]!.click()
    await flushPromises()
    expect(notificationsApi.markNotificationRead).toHaveBeenCalledWith(1)
    expect(router.currentRoute.value.fullPath).toBe('/')
  })
})
