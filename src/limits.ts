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
