// Retention planning: which snapshots go by age or to make room, and which must stay (floor, recent, latest shadow copies).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newSnapshotId } from '../../../src/backup/manifest.js';
import {
  DAY_MS, describePrune, keptSnapshots, planAgePrune, planSpacePrune, retentionPolicy,
  type RetentionContext, type RetentionPolicy, type RetentionSnapshot,
} from '../../../src/backup/retention.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;
const POLICY: RetentionPolicy = { keepDays: 30, keepAtLeast: 2, recentMs: 10 * MIN };

interface Spec {
  /** A name the test refers to (the real id is generated from the time). */
  readonly name: string;
  /** How old, in ms. */
  readonly ageMs: number;
  readonly operation?: string;
  /** path=object pairs: `'.env=e1'`; the object name stands for its hash. */
  readonly files?: readonly string[];
}

function build(specs: readonly Spec[]): { snapshots: RetentionSnapshot[]; nameOf: (id: string) => string } {
  const names = new Map<string, string>();
  const snapshots = specs.map((spec) => {
    const timeMs = NOW - spec.ageMs;
    const id = newSnapshotId(new Date(timeMs));
    names.set(id, spec.name);
    const files = (spec.files ?? [`${spec.name}.txt=${spec.name}`]).map((pair) => {
      const [p, sha] = pair.split('=');
      return { path: p!, sha256: sha! };
    });
    return { id, timeMs, operation: spec.operation ?? 'delete', files };
  });
  return { snapshots, nameOf: (id) => names.get(id) ?? id };
}

const days = (n: number): number => n * DAY_MS;

function context(gone: Record<string, number> = {}): RetentionContext {
  return { nowMs: NOW, shadowGone: new Map(Object.entries(gone).map(([p, ageMs]) => [p, NOW - ageMs])) };
}

describe('retention: pruning by age', () => {
  const cases: { name: string; specs: Spec[]; policy?: Partial<RetentionPolicy>; gone?: Record<string, number>; removed: string[] }[] = [
    {
      name: 'removes what is older than keepDays beyond the newest floor, oldest first',
      specs: [{ name: 'd1', ageMs: days(1) }, { name: 'd5', ageMs: days(5) }, { name: 'd31', ageMs: days(31) }, { name: 'd40', ageMs: days(40) }, { name: 'd50', ageMs: days(50) }],
      removed: ['d50', 'd40', 'd31'],
    },
    {
      name: 'the floor keeps the newest snapshots however old they are',
      specs: [{ name: 'd100', ageMs: days(100) }, { name: 'd200', ageMs: days(200) }, { name: 'd300', ageMs: days(300) }],
      removed: ['d300'],
    },
    {
      name: 'nothing younger than keepDays goes, even beyond the floor',
      specs: [{ name: 'a', ageMs: days(1) }, { name: 'b', ageMs: days(2) }, { name: 'c', ageMs: days(29) }, { name: 'd', ageMs: days(30) }],
      removed: [],
    },
    {
      name: 'shadow copies do not count in the floor: frequent shadows cannot push out the backups of deletions',
      specs: [
        { name: 's1', ageMs: days(1), operation: 'shadow', files: ['.env=e3'] },
        { name: 's2', ageMs: days(2), operation: 'shadow', files: ['.env=e2'] },
        { name: 'del40', ageMs: days(40) },
        { name: 'del50', ageMs: days(50), operation: 'pre-restore' },
        { name: 'del60', ageMs: days(60), operation: 'rename' },
      ],
      removed: ['del60'],
    },
    {
      name: 'the latest shadow copy of each path stays whatever its age; superseded ones go',
      specs: [
        { name: 'sEnvNew', ageMs: days(90), operation: 'shadow', files: ['.env=e3'] },
        { name: 'sEnvOld', ageMs: days(95), operation: 'shadow', files: ['.env=e2'] },
        { name: 'sBoth', ageMs: days(100), operation: 'shadow', files: ['.env=e1', 'migrations/001.sql=m1'] },
        { name: 'sOldest', ageMs: days(110), operation: 'shadow', files: ['migrations/001.sql=m0'] },
      ],
      removed: ['sOldest', 'sEnvOld'],
    },
    {
      name: 'a file found deleted keeps its latest shadow copy for keepDays from when that was noticed',
      specs: [{ name: 'sEnv', ageMs: days(200), operation: 'shadow', files: ['.env=e1'] }],
      gone: { '.env': days(29) },
      removed: [],
    },
    {
      name: 'after keepDays since the deletion was noticed, that shadow copy follows the age rule',
      specs: [{ name: 'sEnv', ageMs: days(200), operation: 'shadow', files: ['.env=e1'] }, { name: 'sKey', ageMs: days(200), operation: 'shadow', files: ['id.key=k1'] }],
      gone: { '.env': days(31) },
      removed: ['sEnv'],
    },
    {
      name: 'a snapshot is kept while one of its paths needs it as latest shadow copy',
      specs: [{ name: 'sBoth', ageMs: days(200), operation: 'shadow', files: ['.env=e1', 'id.key=k1'] }],
      gone: { '.env': days(100) },
      removed: [],
    },
  ];
  for (const row of cases) {
    it(row.name, () => {
      const { snapshots, nameOf } = build(row.specs);
      const removed = planAgePrune(snapshots, { ...POLICY, ...row.policy }, context(row.gone)).map(nameOf);
      assert.deepEqual(removed, row.removed);
    });
  }

  it('says why each snapshot is kept', () => {
    const { snapshots, nameOf } = build([
      { name: 'recentShadow', ageMs: 2 * MIN, operation: 'shadow', files: ['.env=e2'] },
      { name: 'd1', ageMs: days(1) },
      { name: 'd2', ageMs: days(2) },
      { name: 'fresh', ageMs: 5 * MIN, operation: 'manual' },
      { name: 'd3', ageMs: days(3) },
      { name: 'oldShadow', ageMs: days(100), operation: 'shadow', files: ['id.key=k1', '.env=e1'] },
    ]);
    const kept = Object.fromEntries([...keptSnapshots(snapshots, POLICY, context())].map(([id, why]) => [nameOf(id), why]));
    assert.deepEqual(kept, { fresh: 'newest', d1: 'newest', recentShadow: 'recent', oldShadow: 'latest-shadow' });
  });
});

describe('retention: making room under the total cap', () => {
  const objects = (sizes: Record<string, number>, notCollectable: string[] = []): Map<string, { bytes: number; isCollectable: boolean }> =>
    new Map(Object.entries(sizes).map(([sha, bytes]) => [sha, { bytes, isCollectable: !notCollectable.includes(sha) }]));
  const base: Spec[] = [
    { name: 'new', ageMs: days(1), files: ['n=n'] },
    { name: 'old1', ageMs: days(3), files: ['a=a'] },
    { name: 'old2', ageMs: days(4), files: ['b=b'] },
    { name: 'old3', ageMs: days(5), files: ['c=c'] },
  ];
  const sizes = { n: 100, a: 100, b: 100, c: 100 };
  const cases: {
    name: string; specs: Spec[]; bytesToFree: number; sizes?: Record<string, number>; notCollectable?: string[]; inUse?: string[];
    policy?: Partial<RetentionPolicy>; gone?: Record<string, number>; removed: string[]; freed: number; fits: boolean;
  }[] = [
    { name: 'removes the oldest first, only as many as needed', specs: base, bytesToFree: 150, policy: { keepAtLeast: 1 }, removed: ['old3', 'old2'], freed: 200, fits: true },
    { name: 'nothing to free: nothing removed', specs: base, bytesToFree: 0, policy: { keepAtLeast: 1 }, removed: [], freed: 0, fits: true },
    { name: 'never the newest floor', specs: base, bytesToFree: 150, policy: { keepAtLeast: 3 }, removed: [], freed: 0, fits: false },
    { name: 'removes nothing at all when even every removable snapshot would not make room', specs: base, bytesToFree: 301, policy: { keepAtLeast: 1 }, removed: [], freed: 0, fits: false },
    {
      name: 'content shared with a kept snapshot frees nothing, so older snapshots go further',
      specs: [{ name: 'new', ageMs: days(1), files: ['n=shared'] }, { name: 'old1', ageMs: days(3), files: ['a=a'] }, { name: 'old2', ageMs: days(4), files: ['s=shared'] }],
      sizes: { shared: 500, a: 100 }, bytesToFree: 100, policy: { keepAtLeast: 1 }, removed: ['old2', 'old1'], freed: 100, fits: true,
    },
    { name: 'content the new snapshot uses frees nothing', specs: base, bytesToFree: 100, inUse: ['c', 'b'], policy: { keepAtLeast: 1 }, removed: ['old3', 'old2', 'old1'], freed: 100, fits: true },
    { name: 'content in its grace period (another window may use it) frees nothing', specs: base, bytesToFree: 250, notCollectable: ['a'], policy: { keepAtLeast: 1 }, removed: [], freed: 0, fits: false },
    {
      name: 'never a snapshot younger than recentMs',
      specs: [{ name: 'now1', ageMs: 1 * MIN, files: ['x=x'] }, { name: 'now2', ageMs: 2 * MIN, files: ['y=y'] }, { name: 'old', ageMs: days(2), files: ['z=z'] }],
      sizes: { x: 100, y: 100, z: 100 }, bytesToFree: 150, policy: { keepAtLeast: 1 }, removed: [], freed: 0, fits: false,
    },
    {
      name: 'a snapshot from the future (the clock moved back) counts as recent',
      specs: [{ name: 'future2', ageMs: -days(2), files: ['x=x'] }, { name: 'future1', ageMs: -days(1), files: ['y=y'] }, { name: 'old', ageMs: days(3), files: ['z=z'] }],
      sizes: { x: 100, y: 100, z: 100 }, bytesToFree: 150, policy: { keepAtLeast: 1 }, removed: [], freed: 0, fits: false,
    },
    {
      name: 'superseded shadow copies go before older backups of deletions',
      specs: [
        { name: 'new', ageMs: days(1), files: ['n=n'] },
        { name: 'sLatest', ageMs: days(2), operation: 'shadow', files: ['.env=e2'] },
        { name: 'sOld', ageMs: days(3), operation: 'shadow', files: ['.env=e1'] },
        { name: 'delOld', ageMs: days(9), files: ['d=d'] },
      ],
      sizes: { n: 100, e2: 100, e1: 100, d: 100 }, bytesToFree: 100, policy: { keepAtLeast: 1 }, removed: ['sOld'], freed: 100, fits: true,
    },
    {
      name: 'the latest shadow copy of a file is never removed to make room',
      specs: [{ name: 'new', ageMs: days(1), files: ['n=n'] }, { name: 'sLatest', ageMs: days(200), operation: 'shadow', files: ['.env=e1'] }],
      sizes: { n: 100, e1: 100 }, bytesToFree: 50, policy: { keepAtLeast: 1 }, removed: [], freed: 0, fits: false,
    },
    {
      name: 'unless its file was found deleted more than keepDays ago',
      specs: [{ name: 'new', ageMs: days(1), files: ['n=n'] }, { name: 'sLatest', ageMs: days(200), operation: 'shadow', files: ['.env=e1'] }],
      sizes: { n: 100, e1: 100 }, bytesToFree: 50, gone: { '.env': days(40) }, policy: { keepAtLeast: 1 }, removed: ['sLatest'], freed: 100, fits: true,
    },
  ];
  for (const row of cases) {
    it(row.name, () => {
      const { snapshots, nameOf } = build(row.specs);
      const plan = planSpacePrune(snapshots, { ...POLICY, ...row.policy }, context(row.gone), {
        bytesToFree: row.bytesToFree, objects: objects(row.sizes ?? sizes, row.notCollectable), inUse: new Set(row.inUse ?? []),
      });
      assert.deepEqual({ removed: plan.remove.map(nameOf), freed: plan.freedBytes, fits: plan.fits }, { removed: row.removed, freed: row.freed, fits: row.fits });
    });
  }
});

describe('retention: settings', () => {
  const cases: { input: { keepDays?: number; keepAtLeast?: number; recentMs?: number }; expected: RetentionPolicy }[] = [
    { input: {}, expected: { keepDays: 30, keepAtLeast: 20, recentMs: 10 * MIN } },
    { input: { keepDays: 7, keepAtLeast: 5, recentMs: 0 }, expected: { keepDays: 7, keepAtLeast: 5, recentMs: 0 } },
    { input: { keepDays: 0, keepAtLeast: 0, recentMs: -5 }, expected: { keepDays: 1, keepAtLeast: 1, recentMs: 0 } },
    { input: { keepDays: -3, keepAtLeast: -1 }, expected: { keepDays: 1, keepAtLeast: 1, recentMs: 10 * MIN } },
    { input: { keepDays: Number.NaN, keepAtLeast: Number.POSITIVE_INFINITY }, expected: { keepDays: 30, keepAtLeast: 20, recentMs: 10 * MIN } },
    { input: { keepDays: 1.5, keepAtLeast: 2.7 }, expected: { keepDays: 1.5, keepAtLeast: 2, recentMs: 10 * MIN } },
  ];
  for (const row of cases) {
    it(`${JSON.stringify(row.input)} → ${JSON.stringify(row.expected)}`, () => assert.deepEqual(retentionPolicy(row.input), row.expected));
  }

  it('describes a prune for the output channel: how many, which times and operations, why, how much was freed', () => {
    const line = describePrune('shop', {
      trigger: 'age',
      removed: [{ id: 'b', time: '2026-04-02T00:00:00.000Z', operation: 'shadow' }, { id: 'a', time: '2026-04-01T00:00:00.000Z', operation: 'delete' }],
      removedObjects: 3, freedBytes: 5 * 1024 * 1024,
    });
    assert.equal(line, 'backups of shop: pruned 2 snapshots from 2026-04-01T00:00:00.000Z to 2026-04-02T00:00:00.000Z (delete, shadow) older than the retention period (agentGuardrails.backups.keepDays); freed 5.0 MiB (3 stored contents)');
    assert.match(describePrune('shop', { trigger: 'space', removed: [{ id: 'a', time: 't', operation: 'delete' }], removedObjects: 1, freedBytes: 10 }), /pruned 1 snapshot from t \(delete\) to make room for a new backup \(agentGuardrails\.backups\.maxTotalMB\); freed 10 B \(1 stored content\)$/);
  });
});
