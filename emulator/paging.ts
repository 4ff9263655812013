// OCI list semantics shared by every List operation: sortBy/sortOrder, limit (1-1000 accepted, pages of at most 100
// as the Data Science API documents), and opaque page tokens returned in `opc-next-page`.

import { invalidParameter } from "./errors";
import type { QueryParameters, Reply } from "./exchange";

const DEFAULT_PAGE_SIZE = 100;
const LARGEST_PAGE = 100;
const LARGEST_LIMIT = 1000;

/** How one List operation sorts. */
export interface SortOptions {
  /** sortBy values the operation accepts, each with the field it sorts on. */
  fields: Record<string, string>;
  /** The sortBy used when none is given. */
  defaultField: string;
  /** The sortOrder used when none is given (OCI: DESC for time, ASC for names). */
  defaultOrder?: "ASC" | "DESC";
}

/** Sorts `items` as the query asks; ties keep creation order (ids sort by creation). */
export function sortItems<T extends object>(items: T[], query: QueryParameters, options: SortOptions): T[] {
  const sortBy = query.get("sortBy") ?? options.defaultField;
  const field = options.fields[sortBy];
  if (field === undefined) {
    throw invalidParameter("sortBy", `must be one of ${Object.keys(options.fields).join(", ")}`);
  }
  const sortOrder = (
    query.get("sortOrder") ??
    options.defaultOrder ??
    (field.startsWith("time") ? "DESC" : "ASC")
  ).toUpperCase();
  if (sortOrder !== "ASC" && sortOrder !== "DESC") throw invalidParameter("sortOrder", "must be ASC or DESC");
  const direction = sortOrder === "ASC" ? 1 : -1;
  const read = (item: T): string => String((item as Record<string, unknown>)[field] ?? "");
  const readId = (item: T): string => String((item as Record<string, unknown>).id ?? "");
  return [...items].sort((a, b) => direction * (read(a).localeCompare(read(b)) || readId(a).localeCompare(readId(b))));
}

/** One page of `items` for the query's `limit` and `page`, plus the next page token when more remain. */
export function paginate<T>(items: T[], query: QueryParameters): { page: T[]; nextPage?: string } {
  const pageSize = readPageSize(query.get("limit"));
  const offset = readPageToken(query.get("page"));
  const page = items.slice(offset, offset + pageSize);
  const nextOffset = offset + page.length;
  return nextOffset < items.length ? { page, nextPage: renderPageToken(nextOffset) } : { page };
}

/** The reply of a List operation: a bare JSON array, with `opc-next-page` when more remain. */
export function replyWithPage<T>(items: T[], query: QueryParameters): Reply {
  const { page, nextPage } = paginate(items, query);
  return { status: 200, json: page, headers: nextPage === undefined ? {} : { "opc-next-page": nextPage } };
}

function readPageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const value = Number(limit);
  if (!Number.isInteger(value) || value < 1 || value > LARGEST_LIMIT) {
    throw invalidParameter("limit", `must be an integer from 1 to ${LARGEST_LIMIT}`);
  }
  return Math.min(value, LARGEST_PAGE);
}

function readPageToken(page: string | undefined): number {
  if (page === undefined || page === "") return 0;
  const match = /^emu-page-(\d+)$/.exec(Buffer.from(page, "base64url").toString("utf8"));
  if (!match?.[1]) throw invalidParameter("page", "is not a page token this service issued");
  return Number(match[1]);
}

function renderPageToken(offset: number): string {
  return Buffer.from(`emu-page-${offset}`, "utf8").toString("base64url");
}
