/** The plan file commands read when none is named. */
export const DEFAULT_PLAN = 'WAVES.md';
