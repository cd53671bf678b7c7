// The checker on a register (porcupine's first examples), on unknown outcomes, on a history
// that would take 12! orders without the memo, and on histories made linearizable by design.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, search, type Model, type Operation } from './checker.js';
import { prefix, shrink } from './shrink.js';

type RegisterCall = { kind: 'write'; value: number } | { kind: 'read' };
/** A read answers the value, a write 0; -1 is an answer that never came. */
type RegisterOp = Operation<RegisterCall, number>;

const register: Model<number, RegisterCall, number> = {
  init: () => 0,
  step: (state, call, output) => {
    if (call.kind === 'write') return call.value;
    return output === state || output === -1 ? state : undefined;
  },
  key: (state) => String(state),
  unknown: -1,
  readOnly: (op) => op.input.kind === 'read',
};

const write = (client: number, call: number, ret: number, value: number): RegisterOp => ({
  client,
  call,
  return: ret,
  input: { kind: 'write', value },
  output: ret === Infinity ? -1 : 0,
});
const read = (client: number, call: number, ret: number, value: number): RegisterOp => ({
  client,
  call,
  return: ret,
  input: { kind: 'read' },
  output: value,
});

describe('linearizability checker', () => {
  it('accepts reads on either side of a write they overlap', () => {
    const history = [write(0, 0, 100, 100), read(1, 25, 75, 100), read(2, 30, 60, 0)];
    expect(check(register, history).verdict).toBe('ok');
  });

  it('refuses a read of the old value after a read of the new one returned', () => {
    const history = [write(0, 0, 100, 200), read(1, 10, 30, 200), read(2, 40, 90, 0)];
    expect(check(register, history).verdict).toBe('illegal');
  });

  it('refuses a value never written, and a read before a write that started after it returned', () => {
    expect(check(register, [read(0, 0, 10, 7)]).verdict).toBe('illegal');
    expect(check(register, [read(0, 0, 10, 5), write(1, 20, 30, 5)]).verdict).toBe('illegal');
    expect(check(register, [write(1, 0, 10, 5), read(0, 20, 30, 5)]).verdict).toBe('ok');
  });

  it('treats touching intervals as overlapping', () => {
    expect(check(register, [read(0, 0, 10, 5), write(1, 10, 30, 5)]).verdict).toBe('ok');
  });

  it('an unknown outcome may take effect at any time after its call, or never', () => {
    const lost = write(0, 0, Infinity, 1);
    expect(check(register, [lost, read(1, 10, 20, 0), read(1, 30, 40, 1)]).verdict).toBe('ok');
    expect(check(register, [lost, read(1, 10, 20, 0)]).verdict).toBe('ok');
    expect(check(register, [lost, read(1, 10, 20, 1), read(1, 30, 40, 0)]).verdict).toBe('illegal');
    expect(check(register, [read(1, 0, 5, 1), write(0, 6, Infinity, 1)]).verdict).toBe('illegal');
  });

  it('the memo keeps 12 overlapping writes and an impossible read to some 160,000 steps', () => {
    const writes = Array.from({ length: 12 }, (_, i) => write(i, i, 100 + i, i + 1));
    const history = [...writes, read(12, 200, 210, 99)];
    const result = check(register, history);
    expect(result.verdict).toBe('illegal');
    // Without the memo: every order of the writes, 12! ≈ 479 million.
    expect(result.steps).toBeLessThan(500_000);
  });

  it('gives up past its step budget', () => {
    const writes = Array.from({ length: 12 }, (_, i) => write(i, i, 100 + i, i + 1));
    const result = check(register, [...writes, read(12, 200, 210, 99)], { maxSteps: 1_000 });
    expect(result.verdict).toBe('unknown');
  });

  it('can go on after a linearization to find every state one ends in', () => {
    const ends = new Set<number>();
    const onComplete = (state: number) => (ends.add(state), true);
    const writes = [write(0, 0, 10, 1), write(1, 0, 10, 2)];
    expect(search(register, writes, { maxSteps: 1_000, onComplete }).verdict).toBe('ok');
    expect([...ends].sort()).toEqual([1, 2]);
    ends.clear();
    // A read of 1 before both returned: 2 then 1, or 1 and then 2.
    const withRead = [...writes, read(2, 5, 8, 1)];
    expect(search(register, withRead, { maxSteps: 1_000, onComplete }).verdict).toBe('ok');
    expect([...ends].sort()).toEqual([1, 2]);
    ends.clear();
    const impossible = [read(0, 0, 1, 5)];
    expect(search(register, impossible, { maxSteps: 1_000, onComplete }).verdict).toBe('illegal');
    expect(ends.size).toBe(0);
  });

  it('checks each partition alone and names the one that fails', () => {
    const twoRegisters: Model<number, RegisterCall & { reg?: string }, number> = {
      ...register,
      partition: (history) => ['x', 'y'].map((r) => history.filter((op) => op.input.reg === r)),
    };
    const x = (op: RegisterOp) => ({ ...op, input: { ...op.input, reg: 'x' } });
    const y = (op: RegisterOp) => ({ ...op, input: { ...op.input, reg: 'y' } });
    const history = [x(write(0, 0, 10, 1)), y(read(1, 0, 10, 0)), y(read(1, 20, 30, 3))];
    const result = check(twoRegisters, history);
    expect(result).toMatchObject({ verdict: 'illegal', partitions: 2, operations: 3 });
    expect(result.failing).toHaveLength(2);
  });

  it('shrinks to the earliest contradiction, from the last state known for sure, without unneeded reads', () => {
    const history = [
      write(0, 0, 10, 1),
      read(1, 2, 8, 0),
      read(1, 12, 14, 1),
      write(0, 20, 30, 2),
      read(1, 32, 34, 1),
      read(2, 33, 40, 2),
      read(1, 50, 60, 3),
    ];
    expect(check(register, history).verdict).toBe('illegal');
    const short = shrink(register, history);
    // After the write of 2 returned, before the read, the register held 2 whatever the order.
    expect(short).toEqual({ start: 2, operations: [read(1, 32, 34, 1)] });
  });

  it('a prefix leaves the calls still open with an unknown outcome', () => {
    const history = [write(0, 0, 10, 1), read(1, 5, 20, 1), read(2, 30, 40, 1)];
    expect(prefix(history, 12, -1)).toEqual([
      write(0, 0, 10, 1),
      { ...read(1, 5, 20, 1), return: Infinity, output: -1 },
    ]);
  });

  it('accepts any history run by a linearizable register', () => {
    fc.assert(
      fc.property(fc.array(registerCall(), { minLength: 1, maxLength: 40 }), (calls) => {
        expect(check(register, runAtomically(calls)).verdict).toBe('ok');
      }),
      { numRuns: 300 },
    );
  });

  it('finds a history run by a linearizable register with one read answer changed', () => {
    fc.assert(
      fc.property(
        fc.array(registerCall(), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (calls, pick) => {
          const history = runAtomically(calls);
          const reads = history.filter((op) => op.input.kind === 'read');
          fc.pre(reads.length > 0);
          const changed = reads[pick % reads.length]!;
          // Every written value is 1..9: 10 was never there.
          const broken = history.map((op) => (op === changed ? { ...op, output: 10 } : op));
          expect(check(register, broken).verdict).toBe('illegal');
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A call of a client: its kind, when it starts after the client's last, how long it takes. */
interface PlannedCall {
  client: number;
  call: RegisterCall;
  gap: number;
  /** Where in its interval it takes effect, 0..1. */
  at: number;
  length: number;
}

function registerCall(): fc.Arbitrary<PlannedCall> {
  return fc.record({
    client: fc.nat(3),
    call: fc.oneof(
      fc.record({ kind: fc.constant('write' as const), value: fc.integer({ min: 1, max: 9 }) }),
      fc.constant({ kind: 'read' as const }),
    ),
    gap: fc.nat(5),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 20 }),
  });
}

/** Runs the calls on a real register, each at one instant of its interval: linearizable. */
function runAtomically(planned: PlannedCall[]): RegisterOp[] {
  const free = new Map<number, number>();
  const timed = planned.map((p) => {
    const call = (free.get(p.client) ?? 0) + p.gap;
    const ret = call + p.length;
    free.set(p.client, ret);
    return { p, call, ret, effect: call + p.at * p.length };
  });
  let value = 0;
  const outputs = new Map<(typeof timed)[number], number>();
  for (const t of [...timed].sort((a, b) => a.effect - b.effect)) {
    if (t.p.call.kind === 'write') value = t.p.call.value;
    outputs.set(t, t.p.call.kind === 'write' ? 0 : value);
  }
  return timed.map((t) => ({
    client: t.p.client,
    call: t.call,
    return: t.ret,
    input: t.p.call,
    output: outputs.get(t)!,
  }));
}
