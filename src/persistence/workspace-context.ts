/** The workspace (saved labs, the open lab's autosave) for the screens that need it. */
import { getContext, setContext } from 'svelte';
import type { Workspace } from './workspace.svelte';

const KEY = Symbol('dfw-lab.workspace');

export function provideWorkspace(workspace: Workspace): void {
  setContext(KEY, workspace);
}

export function useWorkspace(): Workspace {
  return getContext<Workspace>(KEY);
}
