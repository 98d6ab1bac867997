import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as authApi from '@/api/auth'
import * as mfaApi from '@/api/mfa'
import { ApiError } from '@/api/errors'
import type { User } from '@/types/identity'
import LoginView from './LoginView.vue'

vi.mock('@/api/auth', () => ({ login: vi.fn() }))
vi.mock('@/api/mfa', () => ({ verify: vi.fn(), enrolAtLogin: vi.fn(), confirmAtLogin: vi.fn() }))

async function setup(path = '/login') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: LoginView },
      { path: '/:rest(.*)*', component: { template: '<div>app</div>' } },
    ],
  })
  await router.push(path)
  const wrapper = mount(LoginView, { global: { plugins: [router] }, attachTo: document.body })
  return { wrapper, router }
}

async function signIn(wrapper: Awaited<ReturnType<typeof setup>>['wrapper'], user: string) {
  await wrapper.find('input[data-test="login-username"]').setValue(user)
  await wrapper.find('input[data-test="login-password"]').setValue('correct horse battery')
  await wrapper.find('[data-test="login-submit"]').trigger('submit')
  await vi.waitFor(() => expect(authApi.login).toHaveBeenCalled())
  await flushPromises()
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(authApi.login).mockReset()
  document.body.innerHTML = ''
})

describe('LoginView', () => {
  it("shows the server's message, e.g. a lockout", async () => {
    vi.mocked(authApi.login).mockRejectedValue(
      new ApiError(423, 'ACCOUNT_LOCKED', 'Account locked for 15 minutes'),
    )
    const { wrapper } = await setup()
    await signIn(wrapper, 'alice')
    expect(wrapper.find('[data-test="login-error"]').text()).toContain(
      'Account locked for 15 minutes',
    )
    expect(authApi.login).toHaveBeenCalledWith(
      { username: 'alice', password: 'correct horse battery' },
      { silent: true },
    )
  })

  it('signs in by e-mail and follows the redirect', async () => {
    vi.mocked(authApi.login).mockResolvedValue({
      access_token: 'a',
      refresh_token: 'r',
      expires_in: 3600,
      user: { id: 1, role: 'Admin', permissions: [] } as unknown as User,
    })
    const { wrapper, router } = await setup('/login?redirect=/audit')
    await signIn(wrapper, 'alice@example.com')
    expect(authApi.login).toHaveBeenCalledWith(
      { email: 'alice@example.com', password: 'correct horse battery' },
      { silent: true },
    )
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/audit'))
  })

  it('asks for the code when a second factor is due, then signs in', async () => {
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
      user: { id: 1, role: 'Admin', permissions: [] } as unknown as User,
    })
    const { wrapper, router } = await setup('/login?redirect=/audit')
    await signIn(wrapper, 'admin')
    expect(wrapper.find('[data-test="login-password"]').exists()).toBe(false)
    expect(router.currentRoute.value.path).toBe('/login')
    await wrapper.find('input[data-test="mfa-code"]').setValue('123456')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => expect(mfaApi.verify).toHaveBeenCalledWith('challenge-1', '123456'))
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/audit'))
  })
})
