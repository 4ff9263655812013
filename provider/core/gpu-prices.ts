// OCI's list prices for the GPU shapes in gpu-shapes.ts, as plain data: what `hourlyCost` and the preview's cost
// line multiply. A shape missing here has an unknown price (never zero): add a row when OCI publishes one.
//
// Source, every row: Oracle's public price list API (the Cost Estimator's catalogue,
// https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/?currencyCode=USD), PAY_AS_YOU_GO, USD, metric
// "GPU Per Hour" (the rate covers the GPU and the shape's OCPUs and memory), as Oracle's own OCI Designer Toolkit
// snapshotted it on 2026-06-04 (oracle/oci-designer-toolkit, ocd/packages/react/src/data/OciPriceListSnapshot.ts,
// generated from that API). This machine reaches no Oracle endpoint, so the rows were not fetched here.
// Data Science model deployments bill their compute at these Compute rates.
//
// Left out on purpose (price not established): BM.GPU.B200.8 and BM.GPU.GB200.4 (not in that snapshot),
// BM.GPU.L40S-NC.4 (the confidential-computing variant may have its own part), and the P100/V100 shapes
// (BM.GPU2.2, VM.GPU2.1, BM.GPU3.8, VM.GPU3.*): the snapshot's notes map "GPU Standard - V2" ($2.95) and
// "GPU Standard - X7" ($1.275) both to the P100, so which part bills the V100 is not settled.

/** A GPU shape's pay-as-you-go list price and where it comes from. */
export interface GpuPrice {
  /** The shape name as OCI spells it (gpu-shapes.ts). */
  instanceShape: string;
  /** USD per GPU per hour; a shape's instance-hour is this times its GPU count. */
  usdPerGpuHour: number;
  /** Oracle's part number (SKU) and its name in the price list. */
  partNumber: string;
  priceListName: string;
  /** Where the price was read, and the date of that reading (YYYY-MM-DD). */
  source: string;
  retrievedOn: string;
}

const PRICE_LIST =
  "Oracle price list API (apexapps.oracle.com/pls/apex/cetools/api/v1/products, USD, PAY_AS_YOU_GO) via oracle/oci-designer-toolkit OciPriceListSnapshot.ts";
const PRICE_LIST_DATE = "2026-06-04";

const price = (instanceShape: string, usdPerGpuHour: number, partNumber: string, priceListName: string): GpuPrice => ({
  instanceShape,
  usdPerGpuHour,
  partNumber,
  priceListName,
  source: PRICE_LIST,
  retrievedOn: PRICE_LIST_DATE,
});

/** The GPU shapes with an established list price, sorted by name. */
export const GPU_PRICES: readonly GpuPrice[] = [
  price("BM.GPU.A10.4", 2, "B95909", "Compute - GPU - A10"),
  price("BM.GPU.A100-v2.8", 4, "B95907", "Compute - GPU - A100 - v2"),
  // The A100 40GB shapes: the snapshot names B93544 "GPU4 / A100 40GB"; its other A100-era part, B92740
  // "Compute - GPU - E3", has the same $3.05, so the price holds whichever part bills BM.GPU.B4.8.
  price("BM.GPU.B4.8", 3.05, "B93544", "OCI - Compute - GPU - E4"),
  price("BM.GPU.H100.8", 10, "B98415", "Oracle Cloud Infrastructure - Compute - GPU - H100"),
  price("BM.GPU.H200.8", 10, "B110519", "OCI - Compute - GPU - H200"),
  price("BM.GPU.L40S.4", 3.5, "B109479", "Compute - GPU - L40S"),
  price("BM.GPU.MI300X.8", 6, "B109485", "OCI - Compute - GPU - MI300X"),
  price("BM.GPU4.8", 3.05, "B93544", "OCI - Compute - GPU - E4"),
  price("VM.GPU.A10.1", 2, "B95909", "Compute - GPU - A10"),
  price("VM.GPU.A10.2", 2, "B95909", "Compute - GPU - A10"),
];

const byUpperName = new Map(GPU_PRICES.map((row) => [row.instanceShape.toUpperCase(), row]));

/** The list price of a shape, matched case-insensitively; undefined when the price is not known. */
export function findGpuPrice(instanceShape: string): GpuPrice | undefined {
  return byUpperName.get(instanceShape.toUpperCase());
}
