import { describeStopsDuring } from './stop-suites.js';

describeStopsDuring('setup');
