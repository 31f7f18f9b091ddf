/**
 * Names for directories at scale (tests and benchmarks): twelve first names and ten last names,
 * with accents, so a 3-letter term matches a known share of clients (a first name: one in twelve).
 */
export const FIRST_NAMES = [
  'Ana',
  'Ben',
  'Chloé',
  'Dan',
  'Élise',
  'Farid',
  'Grace',
  'Hugo',
  'Inès',
  'Jonas',
  'Kai',
  'Léa',
];
export const LAST_NAMES = [
  'Martin',
  'Okafor',
  'Dubois',
  'Kim',
  'Lefèvre',
  'Haddad',
  'Lee',
  'Bernard',
  'Fernández',
  'Berg',
];
