export type CheckStatus = 'ok' | 'changed' | 'failed';
export interface CheckResult {
  /** Stable id, e.g. 'claude.trust-dialog', 'env.git-version'. */
  id: string;
  /** One line for people, e.g. 'trust dialog answered'. */
  title: string;
  status: CheckStatus;
  /** Why, for changed/failed: what was seen and what ccwave expected. */
  detail?: string;
  /** For a failure on a screen: the screen ccwave saw (plain text lines). */
  screen?: string[];
}
