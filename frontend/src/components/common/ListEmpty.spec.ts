import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import ActiveTag from './ActiveTag.vue'
import ListEmpty from './ListEmpty.vue'

function empty(props: Record<string, unknown>, slot?: () => unknown) {
  return mount(ListEmpty, { props, slots: slot ? { default: slot } : {} })
}

const description = (wrapper: ReturnType<typeof empty>) =>
  wrapper.find('.el-empty__description').text()

describe('ListEmpty', () => {
  it('words the three states from what the list holds', () => {
    expect(description(empty({ what: 'invoices' }))).toBe('No invoices yet.')
    expect(description(empty({ what: 'invoices', filtered: true }))).toBe(
      'No invoices match these filters.',
    )
    expect(description(empty({ what: 'invoices', filtered: true, failed: true }))).toBe(
      'Could not load invoices.',
    )
  })

  it('takes a view’s own text for any state', () => {
    const texts = {
      what: 'storage locations',
      filteredText: 'No location matches.',
      emptyText: 'No storage location yet.',
    }
    expect(description(empty(texts))).toBe('No storage location yet.')
    expect(description(empty({ ...texts, filtered: true }))).toBe('No location matches.')
    expect(description(empty({ ...texts, failed: true }))).toBe('Could not load storage locations.')
    expect(description(empty({ failed: true, failedText: 'Could not load the queue.' }))).toBe(
      'Could not load the queue.',
    )
  })

  it('offers to try again only after a failure, and only with a retry', async () => {
    const retry = vi.fn()
    const failed = empty({ what: 'invoices', failed: true, retry })
    await failed.get('button').trigger('click')
    expect(failed.get('button').text()).toBe('Try again')
    expect(retry).toHaveBeenCalledOnce()
    expect(empty({ what: 'invoices', retry }).find('button').exists()).toBe(false)
    expect(empty({ what: 'invoices', failed: true }).find('button').exists()).toBe(false)
  })

  it('renders no bottom area when it has nothing to add', () => {
    expect(empty({ what: 'users' }).find('.el-empty__bottom').exists()).toBe(false)
    expect(empty({ what: 'users', retry: vi.fn() }).find('.el-empty__bottom').exists()).toBe(true)
  })

  it('shows the view’s own content below the message', () => {
    const wrapper = empty({ what: 'requisitions' }, () =>
      h('button', { 'data-test': 'create' }, 'Create the first one'),
    )
    expect(wrapper.find('.el-empty__bottom [data-test="create"]').text()).toBe(
      'Create the first one',
    )
  })

  it('keeps the image size a view asks for', () => {
    const style = (size?: number) =>
      empty(size ? { imageSize: size } : {})
        .find('.el-empty__image')
        .attributes('style')
    expect(style()).toContain('80px')
    expect(style(70)).toContain('70px')
  })
})

describe('ActiveTag', () => {
  it('says whether a record is active', () => {
    const tag = (active: boolean) => mount(ActiveTag, { props: { active } }).get('.el-tag')
    expect(tag(true).text()).toBe('Active')
    expect(tag(true).classes()).toEqual(
      expect.arrayContaining(['el-tag--success', 'el-tag--small']),
    )
    expect(tag(false).text()).toBe('Inactive')
    expect(tag(false).classes()).toContain('el-tag--info')
  })
})
