// A promise that resolves after `ms`: the browser's setTimeout as a promise (node:timers/promises
// is not there in a page).
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
