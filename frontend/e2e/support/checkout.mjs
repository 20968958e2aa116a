// The checkout's address form, filled as a person would.
export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postal_code: 'N1 9GU',
  country: 'GB',
};

export async function fillAddress(page, note = '') {
  await page.getByLabel('Full name').fill(ADDRESS.name);
  await page.getByLabel('Address line 1').fill(ADDRESS.line1);
  await page.getByLabel('Town or city').fill(ADDRESS.city);
  await page.getByLabel('Postal code').fill(ADDRESS.postal_code);
  await page.getByLabel('Country').selectOption(ADDRESS.country);
  if (note) await page.getByLabel('Note for the shop (optional)').fill(note);
}
