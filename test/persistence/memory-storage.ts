/** localStorage as the page has it: strings by key. */
export function memoryStorage(): Storage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get length() {
      return items.size;
    },
    key: (i: number) => [...items.keys()][i] ?? null,
    clear: () => items.clear(),
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, value: string) => void items.set(k, String(value)),
    removeItem: (k: string) => void items.delete(k),
  };
}
