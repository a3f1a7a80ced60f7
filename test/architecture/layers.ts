/**
 * The layers of DESIGN.md's "Layers point one way", by file path, lowest first:
 * protocol ← lab runtime ← components ← lab API ← UI.
 */
export const LAYERS = ['protocol', 'runtime', 'component', 'api', 'ui'] as const;
export type Layer = (typeof LAYERS)[number];

/** The lab API inside workers/lab/: what learners, scenarios and the screens call. */
const LAB_API_FILES = /^workers\/lab\/(lab-api|lab-boot|lab-storage|console-text|traceflow|verdict|lab-document|determinism-script|bridge-console|bulk-transfer|govc-client)\.ts$|^workers\/lab\/presets\//;
/** The composition root: registry, transports with their loaders, worker entry points, the host's kernel assembly. */
const COMPOSITION = /^workers\/(registry|transports|kernel-setup|web-worker-unit|[a-z-]+\.worker|unit\.node-worker)\.ts$/;
const COMPONENTS = ['vcenter', 'guest', 'fabric', 'host', 'bus', 'manager'] as const;

export function layerOf(path: string): Layer {
  if (path.startsWith('src/')) return 'ui';
  if (path.startsWith('workers/protocol/')) return 'protocol';
  if (LAB_API_FILES.test(path) || COMPOSITION.test(path) || path.startsWith('workers/scenario/')) return 'api';
  if (path.startsWith('workers/lab/')) return 'runtime';
  if (componentOf(path)) return 'component';
  throw new Error(`${path}: no layer (add it to test/architecture/layers.ts)`);
}

/**
 * The component a file belongs to. A guest is the OS inside a VM: the host runs its VMs' guests
 * and the fabric runs the admin workstation's, so both may use the guest's code.
 */
export function componentOf(path: string): string | undefined {
  const folder = path.split('/')[1];
  return path.startsWith('workers/') && (COMPONENTS as readonly string[]).includes(folder) ? folder : undefined;
}

const rank = (l: Layer) => LAYERS.indexOf(l);

/** Why an import breaks the layering, or undefined when it keeps it. */
export function crossing(from: string, to: string): string | undefined {
  const a = layerOf(from);
  const b = layerOf(to);
  if (rank(b) > rank(a)) return `${a} imports ${b} (up the layers)`;
  if (a === 'component' && b === 'component') {
    const ca = componentOf(from)!;
    const cb = componentOf(to)!;
    if (ca !== cb && !(cb === 'guest' && (ca === 'host' || ca === 'fabric'))) return `component ${ca} imports component ${cb} (components meet only in protocol)`;
  }
  if (a === 'ui' && b !== 'api' && b !== 'protocol' && b !== 'ui') return `the UI imports ${b} (the UI sees the lab API and protocol types only)`;
  return undefined;
}
