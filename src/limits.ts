// GitHub's limits, each named once with the page that sets it. Both the GitHub client
// (src/github) and the pure renderers (src/render) import them from here, so a limit is
// never restated as a literal.

/** pulls/list-files returns at most 3,000 files. https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files */
export const MAX_PULL_REQUEST_FILES = 3000;

/** Page size of list endpoints. https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api */
export const MAX_PER_PAGE = 100;

/** Annotations per check-run create/update request. https://docs.github.com/en/rest/checks/runs#update-a-check-run */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;

/** Check-run `output.summary` and `output.text`: 65,535 characters each. https://docs.github.com/en/rest/checks/runs#create-a-check-run */
export const MAX_CHECK_OUTPUT = 65535;

/**
 * Check-run `output.title`, annotation titles, tag and release names: GitHub documents no
 * number for these, but the checks UI shows a title on one line and the API refuses very
 * long ones; 255 keeps every one of them legal and readable.
 */
export const MAX_TITLE = 255;

/** An annotation's `message`: 64 KB. https://docs.github.com/en/rest/checks/runs#create-a-check-run */
export const MAX_ANNOTATION_MESSAGE = 64 * 1024;

/** Issue and pull-request comment bodies: 65,536 characters. https://docs.github.com/en/rest/issues/comments#create-an-issue-comment */
export const MAX_COMMENT_BODY = 65536;

/**
 * Requests in flight at once for one evaluation: GitHub asks integrators not to make
 * concurrent requests in bulk, to stay clear of its secondary rate limits.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
 */
export const CONTENT_CONCURRENCY = 8;

/** "3,000", as people read numbers in messages. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Objects one GraphQL query asks for (blobs, or entries of a commit by path): GitHub's
 * resource limits count nodes per query; 50 blobs keep a query well inside them and inside
 * its timeout. https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
export const MAX_GRAPHQL_OBJECTS = 50;

/** Entries of a commit by path (mode, size and id, no content) one GraphQL query asks for, beside its contents. */
export const MAX_GRAPHQL_ENTRIES = 2 * MAX_GRAPHQL_OBJECTS;

/**
 * GraphQL's `Blob.text` is cut for large blobs (`isTruncated`) and GitHub does not say
 * where: a blob the tree says is larger than this goes to the REST blob API at once, so it
 * is never downloaded twice. https://docs.github.com/en/graphql/reference/objects#blob
 */
export const MAX_GRAPHQL_BLOB_BYTES = 512 * 1024;

/**
 * Blob reads in flight at once for one evaluation. They are coalesced into GraphQL queries
 * of MAX_GRAPHQL_OBJECTS, so this is two queries, not a hundred concurrent requests.
 */
export const BATCHED_READS = 2 * MAX_GRAPHQL_OBJECTS;

/**
 * GitHub's secondary rate limits on content-creating requests (POST, PATCH, PUT, DELETE;
 * GraphQL mutations): at most 80 a minute and 500 an hour. The App's per-installation
 * write budget stays under both (fixed windows can bunch at a boundary, so it keeps a margin).
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
export const GITHUB_WRITES_PER_MINUTE = 80;
export const GITHUB_WRITES_PER_HOUR = 500;
/** An issue's body: 65,536 characters, as a comment's. https://docs.github.com/en/rest/issues/issues#create-an-issue */
export const MAX_ISSUE_BODY = 65536;

/**
 * Annotations one baseline publishes. GitHub takes 50 per request and documents no total,
 * but each batch is a write request, and integrators are asked to space writes (secondary
 * rate limits): 20 requests, 1,000 annotations; the summary says when more were found.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests
 */
export const MAX_BASELINE_ANNOTATIONS = 1000;
