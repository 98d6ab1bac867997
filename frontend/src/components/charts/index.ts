import { defineAsyncComponent, defineComponent, h } from 'vue'
import ChartPlaceholder from './ChartPlaceholder.vue'

export type { ChartClick, ChartOption } from './types'

const ChartUnavailable = defineComponent({
  name: 'ChartUnavailable',
  props: { height: { type: String, default: '280px' } },
  setup: (props) => () =>
    h('div', { class: 'chart-unavailable muted', style: { height: props.height } }, [
      'The chart could not be loaded. Reload the page to try again.',
    ]),
})

/**
 * The chart component, loaded on first use: ECharts stays out of the initial bundle
 * and out of the dashboard's own chunk, so the KPI cards render before it arrives.
 */
export const LazyChart = defineAsyncComponent({
  loader: () => import('./EChart.vue'),
  loadingComponent: ChartPlaceholder,
  errorComponent: ChartUnavailable,
  delay: 0,
})
