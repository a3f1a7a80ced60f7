import { beforeEach, describe, expect, it } from 'vitest';
import { allLessonStates, DOCK_WIDTH, lessonStateOf, readDockPrefs, runningLessonId, saveDockPrefs, saveLessonState, setRunningLesson, type LessonState } from '../../src/lesson/lesson-state';
import { isFirstVisit, markWelcomed } from '../../src/lesson/welcome';

/** localStorage as the browser has it, for Node. */
class MemoryStorage {
  private map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, String(v));
  removeItem = (k: string) => void this.map.delete(k);
  clear = () => this.map.clear();
}

const state = (over: Partial<LessonState> = {}): LessonState => ({
  scenarioId: 'lockout-vcenter',
  labId: 'lab-1',
  step: 3,
  revealed: 1,
  done: [0, 1, 2],
  hintsUsed: 2,
  startedAt: 1000,
  finishedAt: null,
  results: [['r1', { kind: 'api', request: { method: 'GET', path: '/api/4.0/firewall/globalroot-0/config' }, response: { status: 200, headers: { etag: '"7"' }, body: '<firewallConfiguration/>' } }]],
  ...over,
});

beforeEach(() => {
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
});

describe('lesson state', () => {
  it('keeps each lesson’s place, results and lab, and which lesson runs', () => {
    saveLessonState(state());
    saveLessonState(state({ scenarioId: 'rest-restore', step: 1, labId: 'lab-2' }));
    setRunningLesson('lockout-vcenter');
    expect(lessonStateOf('lockout-vcenter')).toEqual(state());
    expect(lessonStateOf('rest-restore')?.labId).toBe('lab-2');
    expect(runningLessonId()).toBe('lockout-vcenter');
    expect(Object.keys(allLessonStates()).sort()).toEqual(['lockout-vcenter', 'rest-restore']);
    setRunningLesson(null);
    expect(runningLessonId()).toBeNull();
    expect(lessonStateOf('lockout-vcenter')?.step).toBe(3); // leaving keeps the place
  });

  it('drops damaged or foreign values instead of trusting them', () => {
    localStorage.setItem('dfw-lab/lessons@1', '{not json');
    expect(lessonStateOf('lockout-vcenter')).toBeNull();
    expect(runningLessonId()).toBeNull();
    localStorage.setItem('dfw-lab/lessons@1', JSON.stringify({ running: 'x', states: { 'lockout-vcenter': { ...state(), step: -1 }, other: { ...state(), scenarioId: 'lockout-vcenter' } } }));
    expect(lessonStateOf('lockout-vcenter')).toBeNull();
    expect(lessonStateOf('other')).toBeNull(); // saved under another lesson's name
    saveLessonState(state()); // a damaged neighbour does not stop a save
    expect(lessonStateOf('lockout-vcenter')?.step).toBe(3);
  });

  it('a full or blocked storage loses the save, not the lesson', () => {
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
    };
    expect(() => saveLessonState(state())).not.toThrow();
    expect(() => saveDockPrefs({ collapsed: true, width: 400, instructor: false })).not.toThrow();
  });
});

describe('dock preferences', () => {
  it('remember collapsed, width and instructor mode; the width stays within bounds', () => {
    expect(readDockPrefs()).toEqual({ collapsed: false, width: DOCK_WIDTH.initial, instructor: false });
    saveDockPrefs({ collapsed: true, width: 420, instructor: true });
    expect(readDockPrefs()).toEqual({ collapsed: true, width: 420, instructor: true });
    saveDockPrefs({ collapsed: false, width: 99_999, instructor: false });
    expect(readDockPrefs().width).toBe(DOCK_WIDTH.max);
    saveDockPrefs({ collapsed: false, width: 3, instructor: false });
    expect(readDockPrefs().width).toBe(DOCK_WIDTH.min);
  });
});

describe('first visit', () => {
  it('is the first visit until welcomed or a lesson was started', () => {
    expect(isFirstVisit()).toBe(true);
    markWelcomed();
    expect(isFirstVisit()).toBe(false);
    localStorage.clear();
    saveLessonState(state());
    expect(isFirstVisit()).toBe(false);
  });
});
