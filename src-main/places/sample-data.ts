import { createHash } from 'node:crypto';
import type { PlaceStatus } from '../../src-shared/domain';
import type { NewPlaceRow } from '../db/rows';
import { seededRandom } from '../../src-shared/random';

/** Realistic, deterministic sample places: the same seed and index always give the same place. */

const CITIES = [
  { city: 'Austin', state: 'TX', zip: '787', lat: 30.2672, lng: -97.7431 },
  { city: 'Portland', state: 'OR', zip: '972', lat: 45.5152, lng: -122.6784 },
  { city: 'Denver', state: 'CO', zip: '802', lat: 39.7392, lng: -104.9903 },
  { city: 'Chicago', state: 'IL', zip: '606', lat: 41.8781, lng: -87.6298 },
  { city: 'Miami', state: 'FL', zip: '331', lat: 25.7617, lng: -80.1918 },
  { city: 'Seattle', state: 'WA', zip: '981', lat: 47.6062, lng: -122.3321 },
  { city: 'Boston', state: 'MA', zip: '021', lat: 42.3601, lng: -71.0589 },
  { city: 'Nashville', state: 'TN', zip: '372', lat: 36.1627, lng: -86.7816 },
  { city: 'San Diego', state: 'CA', zip: '921', lat: 32.7157, lng: -117.1611 },
  { city: 'Minneapolis', state: 'MN', zip: '554', lat: 44.9778, lng: -93.265 },
  { city: 'Phoenix', state: 'AZ', zip: '850', lat: 33.4484, lng: -112.074 },
  { city: 'Raleigh', state: 'NC', zip: '276', lat: 35.7796, lng: -78.6382 },
] as const;

const CATEGORIES = [
  {
    type: 'restaurant',
    query: 'restaurants',
    nouns: ['Kitchen', 'Bistro', 'Grill', 'Table', 'Eatery'],
  },
  {
    type: 'cafe',
    query: 'coffee shops',
    nouns: ['Café', 'Coffee House', 'Espresso Bar', 'Roasters'],
  },
  {
    type: 'bakery',
    query: 'bakeries',
    nouns: ['Bakery', 'Pâtisserie', 'Bread Co.', 'Crème & Crumb'],
  },
  { type: 'dentist', query: 'dentists', nouns: ['Dental', 'Family Dentistry', 'Smile Studio'] },
  { type: 'plumber', query: 'plumbers', nouns: ['Plumbing', 'Pipe & Drain', 'Plumbing & Heating'] },
  { type: 'hair_care', query: 'hair salons', nouns: ['Salon', 'Barbershop', 'Hair Studio'] },
  {
    type: 'gym',
    query: 'gyms',
    nouns: ['Fitness', 'Athletic Club', 'Strength Lab', 'Yoga Studio'],
  },
  { type: 'car_repair', query: 'auto repair', nouns: ['Auto Repair', 'Motors', 'Tire & Brake'] },
  { type: 'florist', query: 'florists', nouns: ['Flowers', 'Floral Design', 'Blooms'] },
  { type: 'lawyer', query: 'law firms', nouns: ['Law Group', 'Legal', '& Associates'] },
  { type: 'accounting', query: 'accountants', nouns: ['Tax & Accounting', 'CPA', 'Bookkeeping'] },
  { type: 'pet_store', query: 'pet stores', nouns: ['Pet Supply', 'Pet Pantry', 'Paws & Claws'] },
  { type: 'book_store', query: 'bookstores', nouns: ['Books', 'Booksellers', 'Book Nook'] },
  {
    type: 'hardware_store',
    query: 'hardware stores',
    nouns: ['Hardware', 'Supply Co.', 'Tool Shed'],
  },
] as const;

const NAME_WORDS = [
  'Blue Oak',
  'Copper',
  'Maple',
  'Riverside',
  'Summit',
  'Golden',
  'Harbor',
  'Cedar',
  'Union',
  'Liberty',
  'Evergreen',
  'Northside',
  'Juniper',
  'Sunset',
  'Main Street',
  'Willow',
  'Ironwood',
  'Bright',
  'Old Town',
  'Lakeside',
  'Pioneer',
  'Ember',
  'Saffron',
  'José’s',
  'Zoë’s',
  'Little',
  'Urban',
  'Heritage',
  'Crescent',
  'Magnolia',
  'Granite',
  'Parkside',
];

const STREETS = [
  'Main St',
  'Oak Ave',
  'Congress Ave',
  'Elm St',
  'Broadway',
  'Market St',
  'Pine St',
  '2nd Ave',
  'Lake St',
  'Hill Rd',
  'Washington Blvd',
  'Park Ave',
  'Mill Rd',
  'Sunset Blvd',
  'Cedar Ln',
];

const STATUS_MIX: [PlaceStatus, number][] = [
  ['New', 0.86],
  ['Maybe', 0.06],
  ['Not a Fit', 0.05],
  ['Archived', 0.03],
];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

/** A Google-style place id ("ChIJ" + 23 characters), unique per (seed, index). */
export function samplePlaceId(seed: number, index: number): string {
  return 'ChIJ' + createHash('sha256').update(`${seed}:${index}`).digest('base64url').slice(0, 23);
}

export function samplePlace(seed: number, index: number): NewPlaceRow {
  const r = seededRandom(seed * 1_000_003 + index);
  const city = pick(r, CITIES);
  const category = pick(r, CATEGORIES);
  const name = `${pick(r, NAME_WORDS)} ${pick(r, category.nouns)}`;
  const street = `${Math.floor(r() * 9800) + 100} ${pick(r, STREETS)}`;
  const zip = `${city.zip}${String(Math.floor(r() * 100)).padStart(2, '0')}`;
  const formatted_address = `${street}, ${city.city}, ${city.state} ${zip}, USA`;
  const roll = r();
  let acc = 0;
  const status = STATUS_MIX.find(([, share]) => (acc += share) > roll)?.[0] ?? 'New';
  const hasRating = r() > 0.08;
  return {
    place_id: samplePlaceId(seed, index),
    name,
    formatted_address,
    business_type: category.type,
    latitude: Number((city.lat + (r() - 0.5) * 0.3).toFixed(6)),
    longitude: Number((city.lng + (r() - 0.5) * 0.3).toFixed(6)),
    vicinity: `${street}, ${city.city}`,
    rating: hasRating ? Math.round((2.5 + r() * 2.5) * 10) / 10 : null,
    user_ratings_total: hasRating ? Math.floor(r() ** 2 * 2400) : null,
    price_level: r() > 0.3 ? Math.floor(r() * 4) + 1 : null,
    search_query: `${category.query} in ${city.city}`,
    search_location: `${city.city}, ${city.state}`,
    status,
  };
}

/** Yields the places in chunks, so callers can insert and report progress as they go. */
export function* samplePlaces(
  count: number,
  seed: number,
  chunkSize = 2000,
): Generator<NewPlaceRow[]> {
  for (let start = 0; start < count; start += chunkSize) {
    const chunk: NewPlaceRow[] = [];
    for (let i = start; i < Math.min(count, start + chunkSize); i++)
      chunk.push(samplePlace(seed, i));
    yield chunk;
  }
}
