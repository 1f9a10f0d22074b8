import type { Matched } from "../openapi-validator.js";
import type { RepoState } from "./repo-state.js";

/** What a route handler is given: the repository, the validated request, and helpers. */
export interface RouteContext {
  readonly m: Matched;
  readonly p: Record<string, string>;
  readonly q: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly url: URL;
  /** The repository named by the path, when it has one. */
  readonly repo: RepoState;
  /** A page of a list, with GitHub's Link header when more follow. */
  paged<T>(items: T[]): Reply;
  nextId(): number;
}

export type Reply = [number, unknown, Record<string, string>?];

export type Route = (c: RouteContext) => Reply;

export const NOT_FOUND: Reply = [404, { message: "Not Found" }];
