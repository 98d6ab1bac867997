import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import PaperclipCount from './PaperclipCount.vue'

const clip = (count?: number | null) =>
  mount(PaperclipCount, { props: { count } }).find('.paperclip')

describe('PaperclipCount', () => {
  it('shows the count with an accessible name', () => {
    const three = clip(3)
    expect(three.text()).toBe('3')
    expect(three.find('svg').exists()).toBe(true)
    expect(three.attributes('aria-label')).toBe('3 attachments')
    expect(clip(1).attributes('aria-label')).toBe('1 attachment')
  })

  it('shows nothing for a document without files or a row without the count', () => {
    expect(clip(0).exists()).toBe(false)
    expect(clip(undefined).exists()).toBe(false)
    expect(clip(null).exists()).toBe(false)
  })
})
