/** An in-app path ("/requisitions/7") or null: external and protocol-relative links are not followed. */
export function inAppLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return null
  return link
}

/** A file the API serves (an export's download): opened by the browser, not the router. */
export function isApiFile(path: string): boolean {
  return path.startsWith('/api/')
}

/** Follow an in-app link: a route through `push`, an API file as a plain download. */
export function followInApp(path: string, push: (to: string) => Promise<unknown>): void {
  if (isApiFile(path)) window.location.assign(path)
  else void push(path).catch(() => undefined)
}
