import type {
  User,
  UserCreateBody,
  UserList,
  UserListParams,
  UserLookup,
  UserUpdateBody,
} from '@/types/identity'
import { api, type RequestOptions } from './http'

export function listUsers(params: UserListParams = {}, opts: RequestOptions = {}) {
  return api.get<UserList>('/users', params, opts)
}

export async function getUser(id: number): Promise<User> {
  return (await api.get<{ user: User }>(`/users/${id}`)).user
}

export async function createUser(body: UserCreateBody, opts: RequestOptions = {}): Promise<User> {
  return (await api.post<{ user: User }>('/users', body, opts)).user
}

/** `version` is the optimistic lock: a stale one answers 409. */
export async function updateUser(
  id: number,
  body: UserUpdateBody,
  opts: RequestOptions = {},
): Promise<User> {
  return (await api.put<{ user: User }>(`/users/${id}`, body, opts)).user
}

export async function deactivateUser(id: number): Promise<User | undefined> {
  return (await api.post<{ user?: User } | undefined>(`/users/${id}/deactivate`))?.user
}

/** Active colleagues by name, for any signed-in user (delegation picker). */
export async function lookupUsers(q: string, opts: RequestOptions = {}): Promise<UserLookup[]> {
  return (await api.get<{ users: UserLookup[] }>('/users/lookup', { q, per_page: 20 }, opts)).users
}
