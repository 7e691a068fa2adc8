import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import Decimal from 'decimal.js';
import { clusters as allClusters, type ClusterSpec } from '../topology.ts';
import { creditColumns, refundColumns, supportColumns, taxColumns } from './focus-account-lines.ts';
import { focusHeader, type FocusRow, type FocusVersion } from './focus-columns.ts';
import { eksHourColumns, nodeHourColumns, savingsPlanFeeColumns } from './focus-compute-lines.ts';
import { csvField, dayMs, hourMs, iso, monthStart, nextMonth } from './focus-format.ts';
import { dataTransferColumns, databaseHourColumns, ebsColumns, objectStorageColumns } from './focus-service-lines.ts';
import { businessSupportUsd, monthlyCreditUsd, taxRate } from './price-sheet.ts';

// A FOCUS export per month, as AWS Data Exports would write it for the demo's accounts: hourly
// (or daily) EC2 lines per node (savings plan, on demand or spot), EKS, the savings plan's fee and
// an RDS database; daily EBS, data transfer and S3; monthly refund, support, tax and credit.

export interface FocusExportOptions {
  dir: string;
  fromMs: number;
  toMs: number;
  seed: number;
  clusters?: ClusterSpec[];
  /** Keep files of months that were complete when written (their content depends only on topology and seed). */
  keepCompleteMonths?: boolean;
  /** Months from this one on are written in FOCUS 1.3, earlier ones in 1.2; default: the month holding `toMs`. */
  focus13FromMs?: number;
  /** Node, EKS, savings-plan fee and database lines per hour (default) or per day, a Data Export's time granularity. */
  granularity?: 'hourly' | 'daily';
}

const regionNames: Record<string, string> = { 'us-east-1': 'US East (N. Virginia)', 'eu-west-1': 'Europe (Ireland)' };

export function focusFileName(monthStartMs: number): string {
  return `focus-${new Date(monthStartMs).toISOString().slice(0, 7)}.csv`;
}

/** Writes one CSV per month from the month holding `fromMs` to the one holding `toMs` (to date). */
export async function writeFocusExports(opts: FocusExportOptions): Promise<string[]> {
  await mkdir(opts.dir, { recursive: true });
  const files: string[] = [];
  const focus13From = monthStart(opts.focus13FromMs ?? opts.toMs);
  for (let month = monthStart(opts.fromMs); month <= opts.toMs; month = nextMonth(month)) {
    const file = path.join(opts.dir, focusFileName(month));
    files.push(file);
    if (opts.keepCompleteMonths && nextMonth(month) <= opts.toMs && (await writtenAfter(file, nextMonth(month))))
      continue;
    const version: FocusVersion = month >= focus13From ? '1.3' : '1.2';
    const header = focusHeader(version);
    const startIndex = header.indexOf('ChargePeriodStart');
    const endIndex = header.indexOf('ChargePeriodEnd');
    // Hourly lines repeat one row with another period: each row is encoded once and its period set per line.
    const encoded = new Map<FocusRow, string[]>();
    const tmp = `${file}.tmp`;
    const out = createWriteStream(tmp);
    let chunk = `${header.join(',')}\n`;
    const endMs = Math.min(nextMonth(month), Math.floor(opts.toMs / hourMs) * hourMs);
    for (const line of monthLines(opts, month, endMs, version)) {
      let fields = encoded.get(line.row);
      if (!fields) encoded.set(line.row, (fields = header.map((c) => csvField(line.row[c]))));
      fields[startIndex] = line.start;
      fields[endIndex] = line.end;
      chunk += `${fields.join(',')}\n`;
      if (chunk.length < 1 << 20) continue;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
    out.write(chunk);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await rename(tmp, file);
  }
  return files;
}

/** A file written once its month had ended holds the whole month (the clock is the wall clock). */
async function writtenAfter(file: string, ms: number): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return info !== null && info.mtimeMs >= ms;
}

/** A charge and its period; `row` objects are reused across periods and never hold the period. */
interface Line {
  row: FocusRow;
  start: string;
  end: string;
}

function* monthLines(
  opts: FocusExportOptions,
  periodStart: number,
  endMs: number,
  version: FocusVersion,
): Generator<Line> {
  const specs = opts.clusters ?? allClusters;
  const periodEnd = nextMonth(periodStart);
  const commons = new Map(
    specs.map((spec) => [spec, commonColumns(spec, periodStart, periodEnd, endMs >= periodEnd, version)]),
  );
  const billed = new Map(specs.map((spec) => [spec, new Decimal(0)]));
  const supportBase = new Map<string, Decimal>();
  const charge = (spec: ClusterSpec, row: FocusRow): FocusRow => {
    const hosted =
      version === '1.3' ? { HostProviderName: row.ChargeCategory === 'Usage' ? 'AWS' : 'Not Applicable' } : {};
    return { ...commons.get(spec), ...hosted, ...row };
  };
  const count = (spec: ClusterSpec, row: FocusRow): void => {
    const cost = new Decimal(row.BilledCost ?? '0');
    billed.set(spec, billed.get(spec)!.plus(cost));
    if ((row.ChargeCategory === 'Usage' || row.ChargeCategory === 'Purchase') && row.ChargeClass !== 'Correction') {
      supportBase.set(spec.billingAccountId, (supportBase.get(spec.billingAccountId) ?? new Decimal(0)).plus(cost));
    }
  };
  const line = (spec: ClusterSpec, row: FocusRow, startMs: number, lineEndMs: number): Line => {
    count(spec, row);
    return { row, start: iso(startMs), end: iso(lineEndMs) };
  };

  const stepMs = opts.granularity === 'daily' ? dayMs : hourMs;
  for (const [index, spec] of specs.entries()) {
    const covered = spec.nodes.filter((n) => n.pricing === 'savings-plan');
    const usage = (hours: Decimal): FocusRow[] =>
      [
        ...spec.nodes.map((node) => nodeHourColumns(spec, node, hours)),
        eksHourColumns(spec, hours),
        ...(covered.length > 0 ? [savingsPlanFeeColumns(spec, covered, hours)] : []),
        ...(index === 0 ? [databaseHourColumns(spec, hours)] : []),
      ].map((row) => charge(spec, row));
    const wholeStep = usage(new Decimal(stepMs / hourMs));
    for (let t = periodStart; t < endMs; t += stepMs) {
      const stepEnd = Math.min(t + stepMs, endMs);
      const rows = stepEnd - t === stepMs ? wholeStep : usage(new Decimal((stepEnd - t) / hourMs));
      const start = iso(t);
      const end = iso(stepEnd);
      for (const row of rows) {
        count(spec, row);
        yield { row, start, end };
      }
    }
    const daysInMonth = (periodEnd - periodStart) / dayMs;
    for (let d = periodStart; d < endMs; d += dayMs) {
      const dayEnd = Math.min(d + dayMs, endMs);
      const monthShare = new Decimal(dayEnd - d).div(dayMs).div(daysInMonth);
      const daily = [
        ...spec.nodes.map((node) => ebsColumns(spec, node, monthShare)),
        dataTransferColumns(spec, opts.seed, d, new Decimal(dayEnd - d).div(dayMs)),
        objectStorageColumns(spec, monthShare),
      ];
      for (const row of daily) yield line(spec, charge(spec, row), d, dayEnd);
    }
  }

  const first = specs[0];
  if (!first) return;
  const monthEndMs = Math.min(periodEnd, endMs);
  const refund = refundColumns(first, periodStart);
  yield line(first, charge(first, refund.row), refund.startMs, refund.endMs);
  for (const [account, chargesUsd] of supportBase) {
    const payer = specs.find((s) => s.subAccountId === account) ?? specs.find((s) => s.billingAccountId === account)!;
    yield line(
      payer,
      charge(payer, supportColumns(businessSupportUsd(chargesUsd), chargesUsd)),
      periodStart,
      monthEndMs,
    );
  }
  const taxes = specs.map((spec) => ({ spec, amount: billed.get(spec)!.times(taxRate).toDecimalPlaces(2) }));
  for (const { spec, amount } of taxes)
    yield line(spec, charge(spec, taxColumns(spec, amount)), periodStart, monthEndMs);
  yield line(first, charge(first, creditColumns(first, monthlyCreditUsd)), periodStart, monthEndMs);
}

function commonColumns(
  spec: ClusterSpec,
  periodStart: number,
  periodEnd: number,
  complete: boolean,
  version: FocusVersion,
): FocusRow {
  const invoiceMonth = new Date(periodStart).toISOString().slice(2, 7).replace('-', '');
  return {
    BillingAccountId: spec.billingAccountId,
    BillingAccountName: 'Burnrate Demo Org',
    BillingAccountType: 'Billing Account',
    BillingCurrency: 'USD',
    PricingCurrency: 'USD',
    BillingPeriodStart: iso(periodStart),
    BillingPeriodEnd: iso(periodEnd),
    InvoiceId: complete ? `EUINUS${invoiceMonth}-${spec.billingAccountId.slice(-6)}` : '',
    InvoiceIssuerName: 'Amazon Web Services, Inc.',
    ProviderName: 'AWS',
    PublisherName: 'Amazon Web Services, Inc.',
    ...(version === '1.3' ? { ServiceProviderName: 'AWS', HostProviderName: 'Not Applicable' } : {}),
    RegionId: spec.region,
    RegionName: regionNames[spec.region] ?? spec.region,
    SubAccountId: spec.subAccountId,
    SubAccountName: spec.subAccountName,
    SubAccountType: 'Linked Account',
  };
}
