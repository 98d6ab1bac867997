import type {
  ChangePasswordBody,
  LoginCredentials,
  LoginResponse,
  TokenResponse,
  User,
} from '@/types/identity'
import { api, type RequestOptions } from './http'

/** Signs in with a username or an e-mail; the server also sets the session cookies. */
export function login(credentials: LoginCredentials, opts: RequestOptions = {}) {
  return api.post<LoginResponse>('/auth/login', credentials, opts)
}

export function refresh() {
  return api.post<TokenResponse>('/auth/refresh', undefined, { silent: true })
}

export function logout() {
  return api.post<Record<string, never>>('/auth/logout', undefined, {
    silent: true,
    skipAuthRedirect: true,
  })
}

export async function fetchMe(opts: RequestOptions = {}): Promise<User> {
  const data = await api.get<{ user: User }>('/auth/me', undefined, opts)
  return data.user
}

/** The server may answer with fresh tokens + user when it keeps this session signed in. */
export function changePassword(body: ChangePasswordBody, opts: RequestOptions = {}) {
  return api.post<Partial<TokenResponse> | null>('/auth/change-password', body, opts)
}

/** First password of an invited user, from the link in the invitation e-mail. */
export function setPasswordFromInvitation(token: string, password: string) {
  return api.post<Record<string, never>>('/auth/set-password', { token, password })
}
