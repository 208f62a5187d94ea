/**
 * A seeded pseudo-random source for the demo dataset. `Math.random` would produce a different
 * dataset on every start; ids and names must stay the same across runs so that bookmarks, test
 * fixtures and the members generator keep pointing at the same records.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Shuffles in place and returns the same array. */
  shuffle<T>(items: T[]): T[];
  chance(probability: number): boolean;
  /** An RFC 4122 version-4-shaped UUID drawn from this stream, so it is reproducible. */
  uuid(): string;
}

/**
 * Streams let independent parts of the dataset (one per province) draw from their own
 * sequence: adding or changing one province then leaves every other one byte-for-byte intact.
 */
export function createRandom(seed: number, stream = ''): Random {
  const next = sfc32(...cyrb128(`${seed}:${stream}`));
  // The first outputs of sfc32 still echo the seed words; discarding them decorrelates streams.
  for (let i = 0; i < 15; i++) next();
  const word = (): number => Math.floor(next() * 0x1_0000_0000);

  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    chance: (probability) => next() < probability,
    uuid: () => {
      const hex = [word(), word(), word(), word()].map((w) => w.toString(16).padStart(8, '0')).join('');
      // Version nibble 4 and variant bits 10xx make the string a well-formed v4 UUID.
      const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}

/** sfc32: 128 bits of state, passes PractRand, and needs only 32-bit integer arithmetic. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  };
}

/** Spreads a short seed string over all four state words; sfc32 degenerates on a sparse state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2597399677);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2597399677);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
