import type { SummaryRisk } from '../api/model';

// The flag codes the shop's rules raise (README, "AI summaries"), in words staff read at a glance.
const FLAG_LABELS: Record<string, string> = {
  stock_out: 'Out of stock',
  low_stock: 'Low stock',
  low_cover: 'Low days of cover',
  large_quantity: 'Large quantity',
  archived_product: 'Archived product',
  first_order: 'First order',
  unusual_total: 'Unusual total',
  repeat_cancellations: 'Repeat cancellations',
};

/** A readable label for a flag code; a code the app does not know yet still reads as words. */
export function flagLabel(code: string): string {
  const known = FLAG_LABELS[code];
  if (known) return known;
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Flag';
}

export function riskLabel(risk: SummaryRisk | null | undefined): string {
  switch (risk) {
    case 'low':
      return 'Low risk';
    case 'medium':
      return 'Medium risk';
    case 'high':
      return 'High risk';
    default:
      return 'Risk not rated';
  }
}
