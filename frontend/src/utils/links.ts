/** An in-app path ("/requisitions/7") or null: external and protocol-relative links are not followed. */
export function inAppLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return null
  return link
}
