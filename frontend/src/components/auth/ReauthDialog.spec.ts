import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as authApi from '@/api/auth'
import * as mfaApi from '@/api/mfa'
import { ApiError } from '@/api/errors'
import { requestReauth } from '@/composables/useReauth'
import { useAuthStore } from '@/stores/auth'
import type { User } from '@/types/identity'
import ReauthDialog from './ReauthDialog.vue'

vi.mock('@/api/auth', () => ({ login: vi.fn() }))
vi.mock('@/api/mfa', () => ({ verify: vi.fn(), enrolAtLogin: vi.fn(), confirmAtLogin: vi.fn() }))

const alice = { id: 7, username: 'alice', role: 'Engineer', permissions: [] } as unknown as User

function $(selector: string): HTMLElement | null {
  return document.body.querySelector(selector)
}

async function type(selector: string, value: string): Promise<void> {
  const input = $(
    `input[data-test="${selector}"], [data-test="${selector}"] input`,
  ) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function submit(): Promise<void> {
  $('[data-test="reauth-dialog"] form, .el-dialog form')!.dispatchEvent(new Event('submit'))
  await flushPromises()
}

/** Opens the dialog; the answer is wrapped (an async function would wait for it). */
async function open(): Promise<{ answer: Promise<boolean> }> {
  const answer = requestReauth()
  await flushPromises()
  await vi.waitFor(() => expect($('[data-test="reauth-password"]')).not.toBeNull())
  return { answer }
}

beforeEach(() => {
  document.body.innerHTML = ''
  setActivePinia(createPinia())
  useAuthStore().setUser(alice)
  vi.mocked(authApi.login).mockReset()
  mount(ReauthDialog, { attachTo: document.body })
})

describe('ReauthDialog', () => {
  it('signs the same user in again and lets the waiting requests go on', async () => {
    vi.mocked(authApi.login).mockResolvedValue({
      access_token: 'a',
      refresh_token: 'r',
      expires_in: 3600,
      user: alice,
    })
    const { answer } = await open()
    await type('reauth-password', 'secret')
    await submit()
    expect(authApi.login).toHaveBeenCalledWith(
      { username: 'alice', password: 'secret' },
      { silent: true },
    )
    await expect(answer).resolves.toBe(true)
  })

  it("shows the server's refusal and stays open for another try", async () => {
    vi.mocked(authApi.login).mockRejectedValue(
      new ApiError(401, 'INVALID_CREDENTIALS', 'Invalid username or password'),
    )
    const { answer } = await open()
    let settled = false
    void answer.then(() => (settled = true))
    await type('reauth-password', 'wrong')
    await submit()
    expect($('[data-test="reauth-error"]')?.textContent).toContain('Invalid username or password')
    expect(settled).toBe(false)
  })

  it('asks for the second factor when the user has one', async () => {
    vi.mocked(authApi.login).mockResolvedValue({
      mfa_required: true,
      mfa_enrolment: false,
      mfa_challenge: 'challenge-1',
      expires_in: 300,
    })
    vi.mocked(mfaApi.verify).mockResolvedValue({
      access_token: 'a',
      refresh_token: 'r',
      expires_in: 3600,
      user: alice,
    })
    const { answer } = await open()
    await type('reauth-password', 'secret')
    await submit()
    await type('mfa-code', '123456')
    await submit()
    expect(mfaApi.verify).toHaveBeenCalledWith('challenge-1', '123456')
    await expect(answer).resolves.toBe(true)
  })

  it('signing out instead answers no (the usual sign-out follows)', async () => {
    const { answer } = await open()
    $('[data-test="reauth-sign-out"]')!.click()
    await expect(answer).resolves.toBe(false)
  })
})
