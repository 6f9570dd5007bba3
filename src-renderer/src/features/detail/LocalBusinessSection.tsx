import type { LocalBusinessOutput } from '../../../../src-shared/contract';
import {
  formatCategories,
  formatCategory,
  formatRating,
  formatWholeNumber,
} from '../format/values';
import { Fields, formatDate, formatValue, RawJson } from './Fields';
import { safeWebsiteHref, telHref } from './safe-url';

const WEEKDAYS = [
  ['Monday', 'monday_hours'],
  ['Tuesday', 'tuesday_hours'],
  ['Wednesday', 'wednesday_hours'],
  ['Thursday', 'thursday_hours'],
  ['Friday', 'friday_hours'],
  ['Saturday', 'saturday_hours'],
  ['Sunday', 'sunday_hours'],
] as const;

/** What the deep scan found: contact, hours per weekday, address parts and the rest. */
export function LocalBusinessSection({ business }: { business: LocalBusinessOutput }) {
  const website = safeWebsiteHref(business.website_url);
  const phone = telHref(business.phone);
  return (
    <section className="detail-section" aria-labelledby="scan-result-title">
      <h3 id="scan-result-title">Deep scan result</h3>
      <Fields
        rows={[
          ['Phone', phone ? <a href={phone}>{business.phone}</a> : formatValue(business.phone)],
          [
            'Website',
            website ? (
              <a href={website} target="_blank" rel="noopener noreferrer">
                {business.website_url}
              </a>
            ) : (
              formatValue(business.website_url)
            ),
          ],
          ['Business status', formatValue(business.business_status)],
          ['Main category', formatValue(formatCategory(business.main_category))],
          ['Other categories', formatValue(formatCategories(business.extra_categories))],
          ['Rating', formatValue(formatRating(business.rating))],
          ['Reviews', formatValue(formatWholeNumber(business.reviews_count))],
          ['Price', formatValue(business.price_text)],
        ]}
      />
      <h4>Opening hours</h4>
      <table className="hours">
        <tbody>
          {WEEKDAYS.map(([day, key]) => (
            <tr key={key}>
              <th scope="row">{day}</th>
              <td>{formatValue(business[key])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Address</h4>
      <Fields
        rows={[
          ['Full address', formatValue(business.full_address)],
          ['Street', formatValue(business.street_address)],
          ['City', formatValue(business.city)],
          ['State', formatValue(business.state)],
          ['Postal code', formatValue(business.zip)],
          ['Country', formatValue(business.country)],
          ['Time zone', formatValue(business.timezone)],
          [
            'Location',
            business.latitude !== null && business.longitude !== null
              ? `${business.latitude}, ${business.longitude}`
              : formatValue(null),
          ],
          ['Scanned', formatDate(business.updated_at)],
        ]}
      />
      <RawJson label="Full scan response" value={business.additional_json} />
    </section>
  );
}
