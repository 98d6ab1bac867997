import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios'
import type { ErrorEnvelope, Query, SuccessEnvelope } from '@/types/api'
import { ApiError } from './errors'
import { showError } from './notify'

export { ApiError, isApiError } from './errors'

declare module 'axios' {
  interface AxiosRequestConfig {
    /** The caller shows the error itself: no toast. */
    silent?: boolean
    /** When the session cannot be refreshed, just reject (no sign-out and redirect). */
    skipAuthRedirect?: boolean
    /** Internal: this request is already the retry after a refresh. */
    _retried?: boolean
  }
}

export type RequestOptions = Pick<
  AxiosRequestConfig,
  'silent' | 'skipAuthRedirect' | 'signal' | 'headers' | 'timeout'
>

export const API_BASE = '/api/v1'
const MUTATING = new Set(['post', 'put', 'patch', 'delete'])
const LOGIN = '/auth/login'
const REFRESH = '/auth/refresh'

export const http = axios.create({
  baseURL: API_BASE,
  withCredentials: true,
  timeout: 30_000,
  headers: { Accept: 'application/json' },
})

export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}

/**
 * Whether the browser may hold a session at all. The JWT cookies are httpOnly, but each comes
 * with a readable csrf_* twin of the same lifetime: without either, asking the server would
 * only earn a 401 (which the browser logs as a console error on the login page).
 */
export function mayHaveSession(): boolean {
  return (
    readCookie('csrf_access_token') !== undefined || readCookie('csrf_refresh_token') !== undefined
  )
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? ''
  return path.startsWith(API_BASE) ? path.slice(API_BASE.length) : path
}

// Double-submit CSRF: the readable csrf_* cookie goes back as a header on writes.
http.interceptors.request.use((config) => {
  if (MUTATING.has((config.method ?? 'get').toLowerCase())) {
    const cookie = pathOf(config.url) === REFRESH ? 'csrf_refresh_token' : 'csrf_access_token'
    const token = readCookie(cookie)
    if (token) config.headers.set('X-CSRF-TOKEN', token)
  }
  return config
})

// ---- session refresh: one in-flight refresh shared by every request that got a 401
let refreshing: Promise<void> | null = null
const signalled = new WeakSet<Promise<void>>()
let authFailureHandler: (() => void) | null = null

/** Called once per failed refresh: clear the session and send the user to /login. */
export function onAuthFailure(handler: (() => void) | null): void {
  authFailureHandler = handler
}

// ---- signing in again mid-session: one prompt shared by every request that was refused
let reauthHandler: (() => Promise<boolean>) | null = null
let reauthenticating: Promise<boolean> | null = null

/**
 * When the session cannot be refreshed, `handler` asks the user to sign in again over the
 * page (true: signed in, the refused requests are retried; false: the auth failure runs).
 */
export function onReauthenticate(handler: (() => Promise<boolean>) | null): void {
  reauthHandler = handler
}

function reauthenticate(): Promise<boolean> {
  if (!reauthHandler) return Promise.resolve(false)
  reauthenticating ??= reauthHandler()
    .catch(() => false)
    .finally(() => (reauthenticating = null))
  return reauthenticating
}

export function refreshSession(): Promise<void> {
  if (!refreshing) {
    const attempt = http
      .post(REFRESH, undefined, { silent: true, _retried: true })
      .then(() => undefined)
    refreshing = attempt
    attempt.then(
      () => (refreshing = null),
      () => (refreshing = null),
    )
  }
  return refreshing
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (!axios.isAxiosError(error)) {
    return new ApiError(0, 'CLIENT_ERROR', error instanceof Error ? error.message : String(error))
  }
  if (axios.isCancel(error) || error.code === 'ERR_CANCELED') {
    return new ApiError(0, 'CANCELED', 'Request cancelled')
  }
  const response = error.response
  if (!response) {
    return new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the server. Check your connection.')
  }
  const body = response.data as Partial<ErrorEnvelope> | undefined
  if (body && typeof body === 'object' && body.success === false && body.error) {
    const { code, message, details } = body.error
    return new ApiError(response.status, code, message, details, body.request_id)
  }
  const message =
    response.status >= 500
      ? `The server had a problem (${response.status}). Please try again.`
      : `Request failed (${response.status}).`
  return new ApiError(response.status, `HTTP_${response.status}`, message)
}

http.interceptors.response.use(undefined, async (error: unknown) => {
  const config = axios.isAxiosError(error) ? error.config : undefined
  const path = pathOf(config?.url)
  if (
    config &&
    axios.isAxiosError(error) &&
    error.response?.status === 401 &&
    !config._retried &&
    path !== LOGIN &&
    path !== REFRESH
  ) {
    const attempt = refreshSession()
    try {
      await attempt
    } catch {
      if (!config.skipAuthRedirect && (await reauthenticate())) {
        return http.request({ ...config, _retried: true })
      }
      if (!config.skipAuthRedirect && authFailureHandler && !signalled.has(attempt)) {
        signalled.add(attempt)
        authFailureHandler()
      }
      throw toApiError(error)
    }
    return http.request({ ...config, _retried: true })
  }
  const apiError = toApiError(error)
  if (!config?.silent && apiError.code !== 'CANCELED') showError(apiError.message)
  throw apiError
})

/** The success envelope's `data`; anything else is an error. */
export function unwrap<T>(response: AxiosResponse, config?: AxiosRequestConfig): T {
  const body = response.data as Partial<SuccessEnvelope<T>> | '' | undefined
  if (response.status === 204 || body === '' || body === undefined) return undefined as T
  if (body && typeof body === 'object' && body.success === true) return body.data as T
  const error = new ApiError(
    response.status,
    'BAD_RESPONSE',
    'Unexpected response from the server.',
  )
  if (!config?.silent) showError(error.message)
  throw error
}

/** Drops empty filters so `?q=&role=` never reaches the server. */
export function cleanQuery(query?: object): Query | undefined {
  if (!query) return undefined
  const out: Query = {}
  for (const [key, value] of Object.entries(query as Query)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value
  }
  return out
}

export async function request<T>(config: AxiosRequestConfig): Promise<T> {
  return unwrap<T>(await http.request(config), config)
}

/** Like `request`, keeping the envelope's `message` (for "Requisition approved" toasts). */
export async function requestWithMessage<T>(
  config: AxiosRequestConfig,
): Promise<{ data: T; message: string }> {
  const response = await http.request(config)
  const data = unwrap<T>(response, config)
  const body = response.data as Partial<SuccessEnvelope<T>> | undefined
  const message = body && typeof body === 'object' ? (body.message ?? '') : ''
  return { data, message }
}

export const api = {
  get: <T>(url: string, params?: object, opts: RequestOptions = {}) =>
    request<T>({ ...opts, method: 'get', url, params: cleanQuery(params) }),
  post: <T>(url: string, data?: unknown, opts: RequestOptions = {}) =>
    request<T>({ ...opts, method: 'post', url, data }),
  put: <T>(url: string, data?: unknown, opts: RequestOptions = {}) =>
    request<T>({ ...opts, method: 'put', url, data }),
  delete: <T>(url: string, opts: RequestOptions = {}) =>
    request<T>({ ...opts, method: 'delete', url }),
}
