import { describe, expect, it } from 'vitest';
import {
  WEEKDAY_COLUMNS,
  mapPlaceToLocalBusiness,
  mapWeekdayHours,
  priceText,
} from './map-to-local-business';
import { placeDetailsSchema, type PlaceDetails } from './schema';

const place = (fields: Record<string, unknown>): PlaceDetails =>
  placeDetailsSchema.parse({ id: 'p1', ...fields });

const component = (longText: string, types: string[], shortText = longText) => ({
  longText,
  shortText,
  types,
  languageCode: 'en',
});

describe('mapPlaceToLocalBusiness', () => {
  it('maps a full response', () => {
    const raw = {
      id: 'ChIJN1t_tDeuEmsRUsoyG83frY4',
      displayName: { text: 'Google Workshop', languageCode: 'en' },
      formattedAddress: '48 Pirrama Rd, Pyrmont NSW 2009, Australia',
      addressComponents: [
        component('48', ['street_number']),
        component('Pirrama Road', ['route'], 'Pirrama Rd'),
        component('Pyrmont', ['locality', 'political']),
        component('Council of the City of Sydney', ['administrative_area_level_2', 'political']),
        component('New South Wales', ['administrative_area_level_1', 'political'], 'NSW'),
        component('Australia', ['country', 'political'], 'AU'),
        component('2009', ['postal_code']),
      ],
      nationalPhoneNumber: '(02) 9374 4000',
      internationalPhoneNumber: '+61 2 9374 4000',
      websiteUri: 'https://about.google/',
      rating: 4.2,
      userRatingCount: 1014,
      priceLevel: 'PRICE_LEVEL_MODERATE',
      businessStatus: 'OPERATIONAL',
      primaryType: 'corporate_office',
      primaryTypeDisplayName: { text: 'Corporate Office', languageCode: 'en-US' },
      types: ['corporate_office', 'point_of_interest', 'establishment'],
      location: { latitude: -33.866489, longitude: 151.1958561 },
      timeZone: { id: 'Australia/Sydney' },
      regularOpeningHours: {
        openNow: true,
        weekdayDescriptions: [
          'Monday: 9:00 AM – 5:00 PM',
          'Tuesday: 9:00 AM – 5:00 PM',
          'Wednesday: 9:00 AM – 5:00 PM',
          'Thursday: 9:00 AM – 5:00 PM',
          'Friday: 9:00 AM – 4:30 PM',
          'Saturday: Closed',
          'Sunday: Closed',
        ],
      },
      someFutureField: { nested: [1, 2, 3] },
    };
    const details = placeDetailsSchema.parse(raw);
    expect(mapPlaceToLocalBusiness('ChIJN1t_tDeuEmsRUsoyG83frY4', details)).toEqual({
      place_id: 'ChIJN1t_tDeuEmsRUsoyG83frY4',
      business_name: 'Google Workshop',
      full_address: '48 Pirrama Rd, Pyrmont NSW 2009, Australia',
      street_address: '48 Pirrama Rd',
      city: 'Pyrmont',
      state: 'NSW',
      zip: '2009',
      country: 'AU',
      phone: '+61 2 9374 4000',
      website_url: 'https://about.google/',
      main_category: 'Corporate Office',
      extra_categories: ['point_of_interest', 'establishment'],
      rating: 4.2,
      reviews_count: 1014,
      price_text: '$$',
      business_status: 'OPERATIONAL',
      monday_hours: '9:00 AM – 5:00 PM',
      tuesday_hours: '9:00 AM – 5:00 PM',
      wednesday_hours: '9:00 AM – 5:00 PM',
      thursday_hours: '9:00 AM – 5:00 PM',
      friday_hours: '9:00 AM – 4:30 PM',
      saturday_hours: 'Closed',
      sunday_hours: 'Closed',
      timezone: 'Australia/Sydney',
      latitude: -33.866489,
      longitude: 151.1958561,
      additional_json: raw,
    });
  });

  it('turns missing fields into nulls', () => {
    const row = mapPlaceToLocalBusiness('p1', place({}));
    const { place_id, additional_json, ...rest } = row;
    expect(place_id).toBe('p1');
    expect(additional_json).toEqual({ id: 'p1' });
    expect(Object.keys(rest)).toHaveLength(25);
    for (const [column, value] of Object.entries(rest)) {
      expect({ column, value }).toEqual({ column, value: null });
    }
  });

  it('treats empty strings as missing', () => {
    const row = mapPlaceToLocalBusiness(
      'p1',
      place({
        displayName: { text: '  ' },
        websiteUri: '',
        internationalPhoneNumber: '',
        primaryTypeDisplayName: { text: '' },
        primaryType: 'bakery',
        types: [],
      }),
    );
    expect(row.business_name).toBeNull();
    expect(row.website_url).toBeNull();
    expect(row.phone).toBeNull();
    expect(row.main_category).toBe('bakery');
    expect(row.extra_categories).toEqual([]);
  });

  it('extra categories are the other types, without the primary one or duplicates', () => {
    const row = mapPlaceToLocalBusiness(
      'p1',
      place({ primaryType: 'cafe', types: ['cafe', 'bakery', 'food', 'bakery', 'store'] }),
    );
    expect(row.main_category).toBe('cafe');
    expect(row.extra_categories).toEqual(['bakery', 'food', 'store']);
  });

  it('reads address parts sensibly across countries', () => {
    const de = mapPlaceToLocalBusiness(
      'p1',
      place({
        addressComponents: [
          component('77', ['street_number']),
          component('Unter den Linden', ['route']),
          component('Mitte', ['sublocality_level_1', 'sublocality', 'political']),
          component('Berlin', ['locality', 'political']),
          component('Berlin', ['administrative_area_level_1', 'political'], 'BE'),
          component('Germany', ['country', 'political'], 'DE'),
          component('10117', ['postal_code']),
        ],
      }),
    );
    expect(de).toMatchObject({
      street_address: 'Unter den Linden 77',
      city: 'Berlin',
      state: 'BE',
      zip: '10117',
      country: 'DE',
    });

    const uk = mapPlaceToLocalBusiness(
      'p1',
      place({
        addressComponents: [
          component('221B', ['street_number']),
          component('Baker Street', ['route'], 'Baker St'),
          component('London', ['postal_town']),
          component('England', ['administrative_area_level_1', 'political']),
          component('United Kingdom', ['country', 'political'], 'GB'),
          component('NW1 6XE', ['postal_code']),
        ],
      }),
    );
    expect(uk).toMatchObject({
      street_address: '221B Baker St',
      city: 'London',
      state: 'England',
      country: 'GB',
    });

    const us = mapPlaceToLocalBusiness(
      'p1',
      place({
        addressComponents: [
          component('200', ['subpremise']),
          component('350', ['street_number']),
          component('5th Avenue', ['route'], '5th Ave'),
          component('Manhattan', ['sublocality_level_1', 'sublocality', 'political']),
          component('New York', ['administrative_area_level_1', 'political'], 'NY'),
          component('United States', ['country', 'political'], 'US'),
          component('10118', ['postal_code']),
          component('0110', ['postal_code_suffix']),
        ],
      }),
    );
    expect(us).toMatchObject({
      street_address: '350 5th Ave #200',
      city: 'Manhattan',
      state: 'NY',
      zip: '10118-0110',
      country: 'US',
    });

    const premise = mapPlaceToLocalBusiness(
      'p1',
      place({
        addressComponents: [
          component('Suite 4, Level 2', ['subpremise']),
          component('Tower One', ['premise']),
          component('India', ['country', 'political'], 'IN'),
        ],
      }),
    );
    expect(premise.street_address).toBe('Tower One, Suite 4, Level 2');
    expect(premise.city).toBeNull();
  });

  it('keeps a 0 coordinate that proto3 JSON omitted', () => {
    const row = mapPlaceToLocalBusiness('p1', place({ location: { longitude: 12.5 } }));
    expect(row.latitude).toBe(0);
    expect(row.longitude).toBe(12.5);
  });

  it('takes the time zone from timeZone only: fields the mask does not ask for are not read', () => {
    const row = mapPlaceToLocalBusiness(
      'p1',
      place({ timeZone: { id: 'Asia/Kolkata' }, utcOffsetMinutes: 330 }),
    );
    expect(row.timezone).toBe('Asia/Kolkata');
    const unasked = place({ utcOffsetMinutes: 330, nationalPhoneNumber: '022 1234 5678' });
    expect(mapPlaceToLocalBusiness('p1', unasked)).toMatchObject({ timezone: null, phone: null });
  });

  it('is pure: same input, same output, input untouched', () => {
    const details = place({ types: ['a', 'b'], primaryType: 'a' });
    const snapshot = structuredClone(details);
    expect(mapPlaceToLocalBusiness('p1', details)).toEqual(mapPlaceToLocalBusiness('p1', details));
    expect(details).toEqual(snapshot);
  });
});

describe('priceText', () => {
  it.each([
    ['PRICE_LEVEL_FREE', 'Free'],
    ['PRICE_LEVEL_INEXPENSIVE', '$'],
    ['PRICE_LEVEL_MODERATE', '$$'],
    ['PRICE_LEVEL_EXPENSIVE', '$$$'],
    ['PRICE_LEVEL_VERY_EXPENSIVE', '$$$$'],
    ['PRICE_LEVEL_UNSPECIFIED', null],
    ['PRICE_LEVEL_SOMETHING_NEW', null],
    ['constructor', null],
    ['', null],
    [undefined, null],
  ])('%s -> %s', (level, text) => {
    expect(priceText(level)).toBe(text);
  });
});

describe('mapWeekdayHours', () => {
  const week = [
    'Monday: 8:00 AM – 4:00 PM',
    'Tuesday: 8:00 AM – 5:00 PM',
    'Wednesday: 8:00 AM – 6:00 PM',
    'Thursday: 8:00 AM – 7:00 PM',
    'Friday: 8:00 AM – 8:00 PM',
    'Saturday: 10:00 AM – 2:00 PM',
    'Sunday: Closed',
  ];
  const expected = {
    monday_hours: '8:00 AM – 4:00 PM',
    tuesday_hours: '8:00 AM – 5:00 PM',
    wednesday_hours: '8:00 AM – 6:00 PM',
    thursday_hours: '8:00 AM – 7:00 PM',
    friday_hours: '8:00 AM – 8:00 PM',
    saturday_hours: '10:00 AM – 2:00 PM',
    sunday_hours: 'Closed',
  };

  it('strips the day prefix (Monday first)', () => {
    expect(mapWeekdayHours(week)).toEqual(expected);
  });

  it('matches by day name, not position (a week starting on Sunday)', () => {
    const sundayFirst = [week[6]!, ...week.slice(0, 6)];
    expect(mapWeekdayHours(sundayFirst)).toEqual(expected);
  });

  it('matches shuffled lines, abbreviations and any case', () => {
    const lines = [
      'SAT: 10:00 AM – 2:00 PM',
      'thu: 8:00 AM – 7:00 PM',
      'Mon: 8:00 AM – 4:00 PM',
      'Sun: Closed',
      'Wed.: 8:00 AM – 6:00 PM',
      'Tue: 8:00 AM – 5:00 PM',
      'Fri: 8:00 AM – 8:00 PM',
    ];
    expect(mapWeekdayHours(lines)).toEqual(expected);
  });

  it('matches day names in the response language', () => {
    const german = [
      'Montag: 08:00–16:00',
      'Dienstag: 08:00–17:00',
      'Mittwoch: 08:00–18:00',
      'Donnerstag: 08:00–19:00',
      'Freitag: 08:00–20:00',
      'Samstag: 10:00–14:00',
      'Sonntag: Geschlossen',
    ];
    const hours = mapWeekdayHours([german[6]!, ...german.slice(0, 6)], 'de');
    expect(hours.monday_hours).toBe('08:00–16:00');
    expect(hours.sunday_hours).toBe('Geschlossen');
    expect(hours.saturday_hours).toBe('10:00–14:00');
  });

  it('leaves days without a line null', () => {
    const hours = mapWeekdayHours(['Monday: Open 24 hours', 'Friday: 9:00 AM – 1:00 PM']);
    expect(hours).toEqual({
      ...Object.fromEntries(WEEKDAY_COLUMNS.map((c) => [c, null])),
      monday_hours: 'Open 24 hours',
      friday_hours: '9:00 AM – 1:00 PM',
    });
  });

  it('falls back to position (Monday first) when no day name is recognised', () => {
    const unnamed = ['9-5', '9-5', '9-5', '9-5', '9-4', '10-2', 'closed'];
    const hours = mapWeekdayHours(unnamed, 'xx-invalid-!!');
    expect(hours.monday_hours).toBe('9-5');
    expect(hours.saturday_hours).toBe('10-2');
    expect(hours.sunday_hours).toBe('closed');
    expect(mapWeekdayHours(['9-5', '9-5'])).toEqual(mapWeekdayHours([]));
  });

  it('no hours -> all null', () => {
    for (const hours of [mapWeekdayHours(undefined), mapWeekdayHours([])]) {
      expect(Object.values(hours).every((v) => v === null)).toBe(true);
    }
  });
});
