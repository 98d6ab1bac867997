import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as notificationsApi from '@/api/notifications'
import { ApiError } from '@/api/errors'
import NotificationPreferences from './NotificationPreferences.vue'

vi.mock('@/api/notifications', () => ({
  getNotificationPreferences: vi.fn(),
  saveNotificationPreferences: vi.fn(),
  saveEmailDigest: vi.fn(),
}))

const prefs = (assigned: boolean, digest: 'immediate' | 'digest' | 'off' = 'digest') => ({
  preferences: [
    { type: 'approval_assigned', label: 'An approval waits for me', email: assigned },
    { type: 'requisition_decision', label: 'A decision on my requisition', email: true },
  ],
  email_digest: digest,
  digest_minutes: 15,
})

async function setup() {
  const wrapper = mount(NotificationPreferences, { attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.mocked(notificationsApi.getNotificationPreferences).mockReset()
  vi.mocked(notificationsApi.saveNotificationPreferences).mockReset()
  vi.mocked(notificationsApi.saveEmailDigest).mockReset()
  vi.mocked(notificationsApi.getNotificationPreferences).mockResolvedValue(prefs(true))
  document.body.innerHTML = ''
})

const switchOf = (w: Awaited<ReturnType<typeof setup>>, type: string) =>
  w.find(`[data-test="pref-email-${type}"]`)

describe('NotificationPreferences', () => {
  it('lists every type with its e-mail switch', async () => {
    const wrapper = await setup()
    expect(wrapper.text()).toContain('An approval waits for me')
    expect(switchOf(wrapper, 'approval_assigned').classes()).toContain('is-checked')
    expect(switchOf(wrapper, 'requisition_decision').exists()).toBe(true)
  })

  it('saves only the switch that changed', async () => {
    vi.mocked(notificationsApi.saveNotificationPreferences).mockResolvedValue(prefs(false))
    const wrapper = await setup()
    await switchOf(wrapper, 'approval_assigned').trigger('click')
    await flushPromises()
    expect(notificationsApi.saveNotificationPreferences).toHaveBeenCalledWith({
      approval_assigned: false,
    })
    expect(switchOf(wrapper, 'approval_assigned').classes()).not.toContain('is-checked')
    expect(document.body.textContent).toContain('e-mail off')
  })

  it('puts the switch back when saving fails', async () => {
    vi.mocked(notificationsApi.saveNotificationPreferences).mockRejectedValue(
      new ApiError(500, 'HTTP_500', 'boom'),
    )
    const wrapper = await setup()
    await switchOf(wrapper, 'approval_assigned').trigger('click')
    await flushPromises()
    expect(switchOf(wrapper, 'approval_assigned').classes()).toContain('is-checked')
  })

  it('shows and saves how approvals for my whole role are e-mailed', async () => {
    vi.mocked(notificationsApi.saveEmailDigest).mockResolvedValue(prefs(true, 'off'))
    const wrapper = await setup()
    const digest = wrapper.find('[data-test="pref-email-digest"]')
    expect(digest.text()).toContain('Digest every 15 min')
    expect(wrapper.find('[data-test="digest-digest"]').classes()).toContain('is-active')
    await wrapper.find('[data-test="digest-off"] input').setValue(true)
    await flushPromises()
    expect(notificationsApi.saveEmailDigest).toHaveBeenCalledWith('off')
    expect(wrapper.find('[data-test="digest-off"]').classes()).toContain('is-active')
    expect(document.body.textContent).toContain('not e-mailed')
  })
})
