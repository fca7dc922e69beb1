/** Post step: cleanup that must happen even when the job failed. Failures here only warn. */
export async function post(): Promise<void> {
  // Nothing to clean up yet: the temporary Docker config arrives with the ECR login.
}
