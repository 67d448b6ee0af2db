/** "1 commit", "3 commits", "2 matches" (`many` for a plural that is not just an added "s"). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
