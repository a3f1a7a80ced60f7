/** Long work the learner waits for (publish across hosts, a vMotion): shown in the header. */
interface Task {
  id: number;
  label: string;
  detail: string;
  /** 0..1, or undefined while the amount is unknown. */
  fraction?: number;
}

export class Progress {
  tasks = $state<Task[]>([]);
  private next = 1;

  async run<T>(label: string, work: (update: (detail: string, fraction?: number) => void) => Promise<T>): Promise<T> {
    const id = this.next++;
    this.tasks = [...this.tasks, { id, label, detail: '' }];
    const update = (detail: string, fraction?: number) => {
      this.tasks = this.tasks.map((t) => (t.id === id ? { ...t, detail, fraction } : t));
    };
    try {
      return await work(update);
    } finally {
      this.tasks = this.tasks.filter((t) => t.id !== id);
    }
  }

  get busy(): boolean {
    return this.tasks.length > 0;
  }
}
