import { describeSecondStop, describeStopsDuring } from './stop-suites.js';

describeStopsDuring('test');
describeSecondStop();
