// Names of the App's check runs, as rulesets and users see them. Here (not in src/github)
// so that pure steps can name them without importing the GitHub client.

/** The check rulesets require: the pull-request verdict. */
export const CHECK_NAME_FOR_RULES = "gitops-gate";
/** A commit pushed to a release branch without a pull request. */
export const UNREVIEWED_CHECK_NAME = "gitops-gate/unreviewed";
/** The whole default branch, judged. */
export const BASELINE_CHECK_NAME = "gitops-gate/baseline";
