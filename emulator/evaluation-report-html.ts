// report.html: one self-contained page (no scripts, no external assets) with the summary table, an inline-SVG
// histogram of each metric's per-record scores, the metrics not computed and why, the worst-scoring records
// (prompt, reference, answer) and the records that failed.

interface ReportView {
  evaluation_id?: string;
  model?: string | null;
  dataset?: { url?: string };
  records_total?: number;
  records_scored?: number;
  records_failed?: number;
  metric_results?: Record<
    string,
    {
      name?: string;
      computed?: boolean;
      reason?: string;
      mean?: number;
      median?: number;
      p10?: number;
      p90?: number;
      precision_mean?: number;
      recall_mean?: number;
      scores?: number[];
    }
  >;
  errors?: Array<{ line: number; stage: string; message: string }>;
  data?: Array<{
    line: number;
    prompt: string;
    reference: string;
    prediction: string;
    scores: Record<string, number | { f1: number }>;
  }>;
}

const WORST_SHOWN = 5;
const BINS = 10;

/** The report.html page for a report.json document. */
export function renderReportHtml(document: Record<string, unknown>): string {
  const report = document as ReportView;
  const metrics = Object.values(report.metric_results ?? {});
  const computed = metrics.filter((metric) => metric.computed);
  const skipped = metrics.filter((metric) => !metric.computed);
  const rankBy = computed.find((metric) => metric.name === "ROUGE-L") ?? computed[0];
  const rankKey = Object.entries(report.metric_results ?? {}).find(([, metric]) => metric === rankBy)?.[0];
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>',
    `<style>${STYLE}</style></head><body>`,
    `<h1>Evaluation of ${escapeHtml(String(report.model ?? "?"))}</h1>`,
    `<p class="meta">Evaluation ${escapeHtml(report.evaluation_id ?? "")} &middot; dataset ${escapeHtml(report.dataset?.url ?? "")} &middot; ` +
      `<strong>${report.records_scored ?? 0}</strong> of ${report.records_total ?? 0} records scored, <strong>${report.records_failed ?? 0}</strong> failed</p>`,
    "<h2>Summary</h2>",
    '<table id="metric-summary"><thead><tr><th>metric</th><th>mean</th><th>median</th><th>p10</th><th>p90</th><th>precision</th><th>recall</th></tr></thead><tbody>',
    ...computed.map(
      (metric) =>
        `<tr><td>${escapeHtml(metric.name ?? "")}</td>${[metric.mean, metric.median, metric.p10, metric.p90, metric.precision_mean, metric.recall_mean].map((value) => `<td>${formatScore(value)}</td>`).join("")}</tr>`,
    ),
    "</tbody></table>",
    ...skipped.map(
      (metric) =>
        `<p class="skipped"><strong>${escapeHtml(metric.name ?? "")} was not computed:</strong> ${escapeHtml(metric.reason ?? "")}</p>`,
    ),
    computed.length > 0 ? '<h2>Distributions</h2><div class="charts">' : "",
    ...computed.map(
      (metric) =>
        `<figure><figcaption>${escapeHtml(metric.name ?? "")}</figcaption>${renderHistogram(metric.scores ?? [])}</figure>`,
    ),
    computed.length > 0 ? "</div>" : "",
    rankKey ? renderWorst(report, rankKey, rankBy?.name ?? rankKey) : "",
    renderErrors(report.errors ?? []),
    "</body></html>",
    "",
  ].join("\n");
}

function renderWorst(report: ReportView, key: string, name: string): string {
  const scoreOf = (record: NonNullable<ReportView["data"]>[number]) => {
    const value = record.scores[key];
    return typeof value === "number" ? value : (value?.f1 ?? 0);
  };
  const worst = [...(report.data ?? [])]
    .sort((a, b) => scoreOf(a) - scoreOf(b) || a.line - b.line)
    .slice(0, WORST_SHOWN);
  const rows = worst.map(
    (record) =>
      `<tr><td>${record.line}</td><td>${formatScore(scoreOf(record))}</td><td>${escapeHtml(record.prompt)}</td><td>${escapeHtml(record.reference)}</td><td>${escapeHtml(record.prediction)}</td></tr>`,
  );
  return `<h2>Worst ${worst.length} by ${escapeHtml(name)}</h2><table id="worst"><thead><tr><th>line</th><th>${escapeHtml(name)}</th><th>prompt</th><th>reference</th><th>answer</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function renderErrors(errors: NonNullable<ReportView["errors"]>): string {
  if (errors.length === 0) return "";
  const rows = errors.map(
    (error) =>
      `<tr><td>${error.line}</td><td>${escapeHtml(error.stage)}</td><td>${escapeHtml(error.message)}</td></tr>`,
  );
  return `<h2>Records not scored</h2><table id="errors"><thead><tr><th>line</th><th>stage</th><th>error</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Ten bins over [0, 1], bar heights relative to the fullest bin, counts above the bars. */
function renderHistogram(scores: readonly number[]): string {
  const width = 320;
  const height = 140;
  const base = height - 20;
  const counts = new Array<number>(BINS).fill(0);
  for (const score of scores)
    counts[Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)))] =
      (counts[Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)))] ?? 0) + 1;
  const fullest = Math.max(1, ...counts);
  const barWidth = width / BINS;
  const bars = counts.map((count, bin) => {
    const barHeight = (count / fullest) * (base - 16);
    const x = bin * barWidth;
    return (
      `<rect x="${(x + 2).toFixed(1)}" y="${(base - barHeight).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="#3b6ea8"><title>${(bin / BINS).toFixed(1)}-${((bin + 1) / BINS).toFixed(1)}: ${count}</title></rect>` +
      (count > 0
        ? `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(base - barHeight - 3).toFixed(1)}" text-anchor="middle">${count}</text>`
        : "")
    );
  });
  const axis = [0, 0.5, 1].map(
    (tick) =>
      `<text x="${Math.min(width - 8, Math.max(8, tick * width)).toFixed(1)}" y="${height - 4}" text-anchor="middle">${tick}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="distribution of scores"><line x1="0" y1="${base}" x2="${width}" y2="${base}" stroke="#555"/>${bars.join("")}${axis.join("")}</svg>`;
}

function formatScore(value: number | undefined): string {
  return value === undefined ? "&ndash;" : value.toFixed(4);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE = [
  "body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}",
  "table{border-collapse:collapse;margin:8px 0 16px}",
  "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}",
  "th{background:#eef2f7}",
  "#metric-summary td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}",
  "#metric-summary tbody tr{background:#eaf4e4}",
  ".charts{display:flex;flex-wrap:wrap;gap:16px}",
  "figure{margin:0}figcaption{font-weight:bold;margin-bottom:4px}",
  "svg text{font-size:11px;fill:#333}",
  ".skipped{background:#fff6e0;border-left:4px solid #e0a800;padding:6px 10px}",
  ".meta{color:#555}",
].join("");
