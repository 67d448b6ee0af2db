/** What `ccwave init` writes: a plan and one feature in the featmgmt template. */

export const STARTER_FEATURE_ID = 'feature-001-first-feature';

export const STARTER_PLAN = `---
# Run settings; every key is optional. See the README for all of them.
concurrency: 2
# test: npm test          # gates every merge
# setup: npm ci           # runs in each new worktree
timeout: 45m
---

# My plan

Waves run in order. The tasks of a wave run in parallel, each in its own git worktree;
when they are all over, their branches are merged and tested, then the next wave starts.

## Wave 1: first steps

- ${STARTER_FEATURE_ID} — My first feature
`;

export const STARTER_PROMPT = `# Feature: My first feature

## Overview
What this feature does and why, in a few sentences. The agent reads this file as its task.

## Dependencies
- Requires: none

## Implementation Details

### Files to Create/Modify
- \`src/example.ts\` - what changes here

### Tests Required
- [ ] Unit test: what it checks

## Acceptance Criteria
- [ ] A specific, testable result
- [ ] Another one

## Notes
Anything the agent should know: conventions, gotchas, alternatives considered.
`;
