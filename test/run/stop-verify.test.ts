import { describeStopsDuring } from './stop-suites.js';

describeStopsDuring('verify');
