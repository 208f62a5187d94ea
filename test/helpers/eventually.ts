/**
 * Asks until the answer passes `check`, and returns the last answer either way, for the test to
 * assert: what another process does after a commit (a change announced to the read caches, a
 * change read from another subgraph's stream) arrives a moment later.
 */
export async function eventually<T>(ask: () => Promise<T>, check: (answer: T) => boolean, seconds = 10): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const answer = await ask();
    if (check(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
