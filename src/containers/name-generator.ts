import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'admiring', 'agile', 'amazing', 'bold', 'brave', 'bright', 'busy', 'calm', 'careful', 'charming', 'clever',
  'cool', 'curious', 'daring', 'dazzling', 'eager', 'elastic', 'elegant', 'epic', 'fervent', 'festive', 'fond',
  'friendly', 'gallant', 'gentle', 'gifted', 'happy', 'hopeful', 'humble', 'jolly', 'keen', 'kind', 'lucid',
  'lucky', 'merry', 'mindful', 'modest', 'nifty', 'nimble', 'noble', 'optimistic', 'patient', 'peaceful',
  'pensive', 'placid', 'quirky', 'quiet', 'relaxed', 'serene', 'sharp', 'silly', 'sleepy', 'steady', 'stoic',
  'sweet', 'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'youthful', 'zealous',
];

const SURNAMES = [
  'agnesi', 'archimedes', 'babbage', 'banach', 'bardeen', 'bohr', 'boole', 'brahmagupta', 'carson', 'cerf',
  'chandrasekhar', 'curie', 'darwin', 'dijkstra', 'einstein', 'euclid', 'euler', 'faraday', 'fermat', 'fermi',
  'feynman', 'franklin', 'galileo', 'gauss', 'germain', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hertz',
  'hodgkin', 'hopper', 'hypatia', 'johnson', 'kepler', 'khayyam', 'knuth', 'kowalevski', 'lamarr', 'laplace',
  'leakey', 'lovelace', 'lumiere', 'maxwell', 'meitner', 'mendel', 'mirzakhani', 'montalcini', 'morse', 'napier',
  'newton', 'noether', 'pasteur', 'pascal', 'planck', 'poincare', 'ramanujan', 'ride', 'ritchie', 'shannon',
  'somerville', 'tesla', 'thompson', 'torvalds', 'turing', 'varahamihira', 'volta', 'wiles', 'wright', 'yalow',
];

/** A random `adjective_surname` name, as Docker gives unnamed containers. */
export function randomName(retry = 0): string {
  const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)] ?? 'happy'}_${SURNAMES[randomInt(SURNAMES.length)] ?? 'turing'}`;
  return retry > 0 ? `${name}${randomInt(10)}` : name;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isValidName(name: string): boolean {
  return NAME_RE.test(name);
}
