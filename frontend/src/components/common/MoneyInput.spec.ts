import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import MoneyInput from './MoneyInput.vue'

function field(value = '') {
  const wrapper = mount(MoneyInput, {
    props: {
      modelValue: value,
      'onUpdate:modelValue': (next: string) => wrapper.setProps({ modelValue: next }),
    },
    attrs: { 'data-test': 'amount' },
  })
  return wrapper
}

describe('MoneyInput', () => {
  it('takes two decimals', async () => {
    const wrapper = field()
    await wrapper.find('input').setValue('12.34')
    expect(wrapper.props('modelValue')).toBe('12.34')
    expect(wrapper.find('[data-test=money-refused]').exists()).toBe(false)
  })

  it('refuses a third decimal with a message and keeps the value', async () => {
    const wrapper = field('12.34')
    await wrapper.find('input').setValue('12.345')
    expect(wrapper.props('modelValue')).toBe('12.34')
    expect(wrapper.find('[data-test=money-refused]').text()).toBe('At most 2 decimals')
    await wrapper.find('input').setValue('12.3')
    expect(wrapper.props('modelValue')).toBe('12.3')
    expect(wrapper.find('[data-test=money-refused]').exists()).toBe(false)
  })

  it('refuses letters and passes its attributes to the input', async () => {
    const wrapper = field('5')
    await wrapper.find('input').setValue('5x')
    expect(wrapper.props('modelValue')).toBe('5')
    expect(wrapper.find('[data-test=money-refused]').text()).toBe(
      'Digits and one decimal point only',
    )
    expect(wrapper.find('[data-test=amount]').exists()).toBe(true)
  })

  it('gives a width to the whole field, not only to the box inside it', () => {
    const wrapper = mount(MoneyInput, {
      props: { modelValue: '' },
      attrs: { style: 'width: 140px', 'data-test': 'amount' },
    })
    expect(wrapper.find('.money-input').attributes('style')).toContain('width: 140px')
    expect(wrapper.find('.el-input').attributes('style') ?? '').not.toContain('140px')
    expect(wrapper.find('[data-test=amount]').exists()).toBe(true)
  })
})
