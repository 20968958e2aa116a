import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderSummary } from '../api/types';
import { SummaryView } from './SummaryView';

const at = '2026-01-01T10:00:00Z';
const none = { risk: null, flags: [], model: null };

describe('SummaryView', () => {
  it('shows the text when ready', () => {
    render(<SummaryView summary={{ ...none, status: 'ready', text: 'Two mugs; stock now 8.', updated_at: at }} />);
    expect(screen.getByText('Two mugs; stock now 8.')).toBeTruthy();
  });

  it('shows progress while pending', () => {
    render(<SummaryView summary={{ ...none, status: 'pending', text: null, updated_at: null }} />);
    expect(screen.getByRole('status').textContent).toContain('being written');
  });

  it('says plainly when it failed or is disabled', () => {
    const { rerender } = render(<SummaryView summary={{ ...none, status: 'failed', text: null, updated_at: at }} />);
    expect(screen.getByText(/Summary failed/)).toBeTruthy();
    rerender(<SummaryView summary={{ ...none, status: 'disabled', text: null, updated_at: at }} />);
    expect(screen.getByText(/Summary disabled/)).toBeTruthy();
  });

  it('does not break on a missing or unknown summary', () => {
    const { rerender, container } = render(<SummaryView summary={undefined} />);
    expect(screen.getByText('Summary unavailable.')).toBeTruthy();
    rerender(<SummaryView summary={{ status: 'weird' } as unknown as OrderSummary} />);
    expect(container.querySelector('[data-summary-status="unknown"]')).toBeTruthy();
  });
});
