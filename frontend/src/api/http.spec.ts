import {
  AxiosError,
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { showError } from './notify'
import { ApiError, api, http, onAuthFailure, onReauthenticate } from './http'

vi.mock('./notify', () => ({ showError: vi.fn() }))

type Reply = { status: number; data?: unknown }
type Route = (config: InternalAxiosRequestConfig) => Reply | Promise<Reply>

let route: Route
const seen: InternalAxiosRequestConfig[] = []

// A fake transport: the interceptors under test run for real around it.
async function adapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  seen.push(config)
  const reply = await route(config)
  const response: AxiosResponse = {
    data: reply.data,
    status: reply.status,
    statusText: String(reply.status),
    headers: {},
    config,
  }
  if (reply.status >= 400) {
    throw new AxiosError(`HTTP ${reply.status}`, 'ERR_BAD_RESPONSE', config, null, response)
  }
  return response
}

const ok = (data: unknown): Reply => ({
  status: 200,
  data: { success: true, data, message: 'OK', timestamp: 't', request_id: 'r' },
})
const fail = (status: number, code: string, message: string, details = {}): Reply => ({
  status,
  data: { success: false, error: { code, message, details }, request_id: 'req-1' },
})
const urls = () => seen.map((c) => `${c.method?.toUpperCase()} ${c.url}`)

beforeEach(() => {
  http.defaults.adapter = adapter
  seen.length = 0
  vi.mocked(showError).mockClear()
  document.cookie = 'csrf_access_token=access-csrf; path=/'
  document.cookie = 'csrf_refresh_token=refresh-csrf; path=/'
})

afterEach(() => {
  onAuthFailure(null)
  onReauthenticate(null)
})

describe('envelope', () => {
  it('returns the data of the success envelope', async () => {
    route = () => ok({ users: [{ id: 1 }], pagination: { page: 1 } })
    await expect(api.get('/users')).resolves.toEqual({
      users: [{ id: 1 }],
      pagination: { page: 1 },
    })
  })

  it('drops empty query parameters', async () => {
    route = () => ok({})
    await api.get('/users', { q: '', role: 'Admin', is_active: false, department_id: null })
    expect(seen[0]!.params).toEqual({ role: 'Admin', is_active: false })
  })

  it('turns the error envelope into a typed ApiError and shows its message', async () => {
    route = () => fail(422, 'VALIDATION_ERROR', 'Invalid input', { new_password: ['Too short'] })
    const error = await api.post('/auth/change-password', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', requestId: 'req-1' })
    expect((error as ApiError).details).toEqual({ new_password: ['Too short'] })
    expect((error as ApiError).fieldError('new_password')).toBe('Too short')
    expect(showError).toHaveBeenCalledWith('Invalid input')
  })

  it('lets the caller opt out of the toast', async () => {
    route = () => fail(409, 'CONFLICT', 'Stale version')
    await expect(api.put('/users/1', {}, { silent: true })).rejects.toMatchObject({ status: 409 })
    expect(showError).not.toHaveBeenCalled()
  })

  it('reports a network failure as status 0', async () => {
    route = () => Promise.reject(new AxiosError('Network Error', 'ERR_NETWORK'))
    await expect(api.get('/users')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' })
  })

  it('rejects a response that is not an envelope', async () => {
    route = () => ({ status: 200, data: '<html>' })
    await expect(api.get('/users')).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })
})

describe('CSRF header', () => {
  it('sends csrf_access_token on writes only', async () => {
    route = () => ok({})
    await api.get('/users')
    await api.post('/users', {})
    expect(AxiosHeaders.from(seen[0]!.headers).get('X-CSRF-TOKEN')).toBeUndefined()
    expect(AxiosHeaders.from(seen[1]!.headers).get('X-CSRF-TOKEN')).toBe('access-csrf')
  })

  it('sends csrf_refresh_token on /auth/refresh', async () => {
    route = () => ok({})
    await api.post('/auth/refresh')
    expect(AxiosHeaders.from(seen[0]!.headers).get('X-CSRF-TOKEN')).toBe('refresh-csrf')
  })
})

describe('401 handling', () => {
  it('refreshes once for concurrent failures and retries each request', async () => {
    let refreshed = false
    let releaseRefresh!: () => void
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve))
    route = async (config) => {
      if (config.url === '/auth/refresh') {
        await refreshGate
        refreshed = true
        document.cookie = 'csrf_access_token=rotated; path=/'
        return ok({ user: { id: 1 } })
      }
      return refreshed ? ok({ url: config.url }) : fail(401, 'UNAUTHORIZED', 'Token expired')
    }
    const calls = [api.get('/a'), api.get('/b'), api.post('/c', {})]
    await vi.waitFor(() => expect(seen.filter((c) => c.url === '/auth/refresh')).toHaveLength(1))
    releaseRefresh()
    await expect(Promise.all(calls)).resolves.toEqual([{ url: '/a' }, { url: '/b' }, { url: '/c' }])
    expect(urls().filter((u) => u === 'POST /auth/refresh')).toHaveLength(1)
    expect(urls()).toHaveLength(7) // 3 failures + 1 refresh + 3 retries
    const retriedPost = seen.filter((c) => c.url === '/c').at(-1)!
    expect(AxiosHeaders.from(retriedPost.headers).get('X-CSRF-TOKEN')).toBe('rotated')
    expect(showError).not.toHaveBeenCalled()
  })

  it('signs out once when the refresh fails', async () => {
    const handler = vi.fn()
    onAuthFailure(handler)
    route = (config) =>
      config.url === '/auth/refresh'
        ? fail(401, 'UNAUTHORIZED', 'Refresh token revoked')
        : fail(401, 'UNAUTHORIZED', 'Token expired')
    const results = await Promise.allSettled([api.get('/a'), api.get('/b')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ status: 401 })
    expect(urls().filter((u) => u === 'POST /auth/refresh')).toHaveLength(1)
    expect(handler).toHaveBeenCalledTimes(1)
    expect(showError).not.toHaveBeenCalled()
  })

  it('does not sign out a request that asked not to be redirected', async () => {
    const handler = vi.fn()
    onAuthFailure(handler)
    route = () => fail(401, 'UNAUTHORIZED', 'No session')
    await expect(
      api.get('/auth/me', undefined, { silent: true, skipAuthRedirect: true }),
    ).rejects.toMatchObject({ status: 401 })
    expect(handler).not.toHaveBeenCalled()
  })

  it('never refreshes for a failed login', async () => {
    route = () => fail(401, 'INVALID_CREDENTIALS', 'Wrong username or password')
    await expect(api.post('/auth/login', {}, { silent: true })).rejects.toMatchObject({
      status: 401,
      message: 'Wrong username or password',
    })
    expect(urls()).toEqual(['POST /auth/login'])
  })

  it('asks once to sign in again when the refresh fails, then retries every refused request', async () => {
    let signedIn = false
    const failure = vi.fn()
    onAuthFailure(failure)
    const prompt = vi.fn(async () => {
      signedIn = true // the dialog's sign-in set fresh cookies
      document.cookie = 'csrf_access_token=fresh; path=/'
      return true
    })
    onReauthenticate(prompt)
    route = (config) => {
      if (config.url === '/auth/refresh') return fail(401, 'UNAUTHORIZED', 'Refresh token revoked')
      return signedIn ? ok({ url: config.url }) : fail(401, 'UNAUTHORIZED', 'Token revoked')
    }
    const calls = [api.get('/a'), api.post('/requisitions', { justification: 'Kept' })]
    await expect(Promise.all(calls)).resolves.toEqual([{ url: '/a' }, { url: '/requisitions' }])
    expect(prompt).toHaveBeenCalledTimes(1)
    expect(failure).not.toHaveBeenCalled()
    const retried = seen.filter((c) => c.url === '/requisitions').at(-1)!
    expect(JSON.parse(retried.data as string)).toEqual({ justification: 'Kept' })
    expect(AxiosHeaders.from(retried.headers).get('X-CSRF-TOKEN')).toBe('fresh')
  })

  it('signs out when the user declines to sign in again', async () => {
    const failure = vi.fn()
    onAuthFailure(failure)
    onReauthenticate(async () => false)
    route = () => fail(401, 'UNAUTHORIZED', 'Token revoked')
    await expect(api.get('/a')).rejects.toMatchObject({ status: 401 })
    expect(failure).toHaveBeenCalledTimes(1)
  })

  it('never prompts for a request that asked not to be redirected', async () => {
    const prompt = vi.fn(async () => true)
    onReauthenticate(prompt)
    route = () => fail(401, 'UNAUTHORIZED', 'No session')
    await expect(
      api.get('/auth/me', undefined, { silent: true, skipAuthRedirect: true }),
    ).rejects.toMatchObject({ status: 401 })
    expect(prompt).not.toHaveBeenCalled()
  })
})
