const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

export const formatDailySales = (perDay: number) => twoDecimals.format(perDay);

/** Days of cover; without sales there is nothing to divide by. */
export const formatCover = (days: number | null) => (days === null ? 'no sales' : oneDecimal.format(days));
