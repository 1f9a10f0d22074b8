// GitHub's limits, named where they are set.

/** pulls/list-files returns at most 3,000 files. https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files */
export const MAX_PULL_REQUEST_FILES = 3000;
/** Page size of list endpoints. https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api */
export const MAX_PER_PAGE = 100;
/** Annotations per check-run create/update request. https://docs.github.com/en/rest/checks/runs#update-a-check-run */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/** output.summary and output.text: 65,535 characters each. https://docs.github.com/en/rest/checks/runs#create-a-check-run */
export const MAX_CHECK_OUTPUT = 65535;
/** output.title: kept to 255 characters, as the checks UI shows it in one line. */
export const MAX_CHECK_TITLE = 255;
/** Issue comment bodies: 65,536 characters. https://docs.github.com/en/rest/issues/comments#create-an-issue-comment */
export const MAX_COMMENT_BODY = 65536;
/** Concurrent content requests per evaluation: below GitHub's secondary rate limits. https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests */
export const CONTENT_CONCURRENCY = 8;
