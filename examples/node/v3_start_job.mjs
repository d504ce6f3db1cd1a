// The seed guide's Node.js integration with the AWS SDK for JavaScript v3: start a run of
// transform_orders_job and wait for it to end. The SDK v3 reads AWS_ENDPOINT_URL_GLUE, else
// AWS_ENDPOINT_URL (or endpoint_url in ~/.aws/config), so pointing it at OpenGlue takes no
// code: set the variable to the server, plus the usual credentials.
import { GetJobRunCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";

const glue = new GlueClient({ region: "us-east-1" });

async function runGlueJob(jobName) {
  const response = await glue.send(new StartJobRunCommand({ JobName: jobName }));
  console.log("Glue Job Started:", response.JobRunId);
  return response.JobRunId;
}

const FINAL_STATES = new Set(["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"]);

async function waitForJobRun(jobName, runId) {
  for (;;) {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
    if (FINAL_STATES.has(JobRun.JobRunState)) {
      return JobRun;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const runId = await runGlueJob("transform_orders_job");
const run = await waitForJobRun("transform_orders_job", runId);
console.log("Glue Job Finished:", run.JobRunState, run.ErrorMessage ?? "");
process.exitCode = run.JobRunState === "SUCCEEDED" ? 0 : 1;
