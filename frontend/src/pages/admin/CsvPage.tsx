import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fetchCsv, importCatalogue, saveBlob, type ImportResult } from '../../api/csv';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice } from '../../components/ErrorNotice';
import { usePageTitle } from '../../usePageTitle';

export function CsvPage() {
  usePageTitle('Import and export');
  return (
    <>
      <h1>Import and export</h1>
      <CatalogueImport />
      <CatalogueExport />
      <OrdersExport />
    </>
  );
}

// FileReader rather than File.text(): it reads the file in every browser the shop supports.
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}

function CatalogueImport() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: async ({ csv, dryRun }: { csv: File; dryRun: boolean }) => ({
      dryRun,
      result: await importCatalogue(await readText(csv), dryRun),
    }),
    onSuccess: ({ dryRun, result }) => {
      if (!dryRun && result.errors.length === 0) void queryClient.invalidateQueries({ queryKey: queryKeys.products });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>, dryRun: boolean) {
    event.preventDefault();
    if (file) run.mutate({ csv: file, dryRun });
  }

  return (
    <section aria-labelledby="import-heading" className="card">
      <h2 id="import-heading">Import the catalogue</h2>
      <p className="muted">
        A CSV file with the header <code>sku,name,description,price_cents,stock,low_stock_threshold,reorder_quantity</code>{' '}
        (<code>stock</code> optional), at most 10 000 rows. With any error nothing is written.
      </p>
      <form onSubmit={(e) => submit(e, true)}>
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              run.reset();
            }}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={!file || run.isPending}>
            Check
          </button>
          <button type="button" disabled={!file || run.isPending} onClick={() => file && run.mutate({ csv: file, dryRun: false })}>
            Import
          </button>
        </div>
      </form>
      {run.isPending && (
        <p role="status" className="loading">
          {run.variables?.dryRun ? 'Checking…' : 'Importing…'}
        </p>
      )}
      <ErrorNotice error={run.error} />
      {run.data && <ImportOutcome dryRun={run.data.dryRun} result={run.data.result} />}
    </section>
  );
}

function ImportOutcome({ dryRun, result }: { dryRun: boolean; result: ImportResult }) {
  if (result.errors.length === 0) {
    return (
      <p role="status" className="notice">
        {dryRun ? 'The file is valid: importing it would create' : 'Imported: created'} {result.created} and{' '}
        {dryRun ? 'update' : 'updated'} {result.updated} products.
      </p>
    );
  }
  return (
    <div role="alert" className="notice notice-error">
      <p>
        {result.errors.length} {result.errors.length === 1 ? 'error' : 'errors'}; nothing was written.
      </p>
      <div className="table-scroll">
        <table>
          <caption>Errors in the file</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Field</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((e, i) => (
              <tr key={i}>
                <td>{e.line}</td>
                <td>{e.field}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CatalogueExport() {
  const download = useMutation({
    mutationFn: () => fetchCsv('/products/export.csv'),
    onSuccess: (blob) => saveBlob(blob, 'catalogue.csv'),
  });
  return (
    <section aria-labelledby="export-heading" className="card">
      <h2 id="export-heading">Export the catalogue</h2>
      <p className="muted">Every active product, in the format the import reads.</p>
      <button type="button" disabled={download.isPending} onClick={() => download.mutate()}>
        {download.isPending ? 'Exporting…' : 'Export catalogue'}
      </button>
      <ErrorNotice error={download.error} />
    </section>
  );
}

/** "2026-12-01" (a UTC day from a date input) as the RFC 3339 start of that day. */
function dayStart(day: string): string {
  return `${day}T00:00:00Z`;
}

function nextDayStart(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().replace('.000Z', 'Z');
}

function OrdersExport() {
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const download = useMutation({
    mutationFn: () =>
      fetchCsv(
        `/orders/export.csv?from=${encodeURIComponent(dayStart(from))}&to=${encodeURIComponent(nextDayStart(to))}`,
      ),
    onSuccess: (blob) => saveBlob(blob, `orders-${from}-to-${to}.csv`),
  });
  const rangeInvalid = !from || !to || from > to;
  return (
    <section aria-labelledby="orders-export-heading" className="card">
      <h2 id="orders-export-heading">Export orders</h2>
      <p className="muted">One row per order line, for whole UTC days, at most 366 days.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!rangeInvalid) download.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="orders-from">From</label>
          <input id="orders-from" type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="orders-to">To (inclusive)</label>
          <input id="orders-to" type="date" value={to} required onChange={(e) => setTo(e.target.value)} />
        </div>
        {from > to && <p className="field-error">The start day is after the end day.</p>}
        <button type="submit" disabled={rangeInvalid || download.isPending}>
          {download.isPending ? 'Exporting…' : 'Export orders'}
        </button>
      </form>
      <ErrorNotice error={download.error} />
    </section>
  );
}
