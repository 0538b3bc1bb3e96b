// A small seedable PRNG (mulberry32) for the fault dice, so a failing run can be replayed.

export interface Dice {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability `rate` (0…1). */
  roll(rate: number | undefined): boolean;
}

export function createDice(seed: number = Date.now()): Dice {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    roll: (rate) => rate !== undefined && rate > 0 && next() < rate,
  };
}
