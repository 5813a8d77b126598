export { StatsdTestingModule, type StatsdTestingOptions } from './testing/statsd-testing.module';
export { StatsdRecorder } from './testing/statsd-recorder';
export type { RecordedMetric } from './testing/recorded-metric';
