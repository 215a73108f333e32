/**
 * The seeded members of the search corpus: valid public keys (`02` and 64 hex digits, as the
 * members table checks), unique display names, and how much each one writes. Authors are skewed as
 * in a real community: a few members write much of the traffic, most write little.
 */
import { WeightedSampler, zipfWeights } from './random';

const FIRST_NAMES = [
  'Ada',
  'Brook',
  'Cyra',
  'Dario',
  'Elif',
  'Farah',
  'Goran',
  'Hana',
  'Ines',
  'Jonas',
  'Kaito',
  'Lena',
  'Mateo',
  'Nadia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rafael',
  'Saoirse',
  'Tomas',
  'Uma',
  'Viktor',
  'Wren',
  'Ximena',
  'Yusuf',
  'Zora',
  'Amara',
  'Bjorn',
  'Chiara',
  'Dmitri',
  'Esme',
  'Femi',
  'Greta',
  'Hugo',
  'Ilse',
  'Jovan',
  'Keiko',
  'Luca',
  'Mira',
  'Nikolai',
];
/** How much the busiest authors write more than the rest (1/rank^s). */
const AUTHOR_SKEW = 1.1;

export interface SeedMember {
  readonly publicKey: string;
  readonly displayName: string;
}

export interface SeedMembers {
  /** Busiest author first. */
  readonly list: readonly SeedMember[];
  /** Draws an author (or a mentioned member) by activity. */
  readonly sampler: WeightedSampler;
}

function hex(random: () => number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** `count` members: names `Ada`, `Brook`, … then `Ada1`, `Brook1`, … */
export function seedMembers(count: number, random: () => number): SeedMembers {
  const list = Array.from({ length: count }, (_, i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Member';
    const round = Math.floor(i / FIRST_NAMES.length);
    return { publicKey: `02${hex(random, 64)}`, displayName: round === 0 ? first : `${first}${round}` };
  });
  return { list, sampler: new WeightedSampler(zipfWeights(count, AUTHOR_SKEW)) };
}
