// The seed guide's Node.js integration (Step 4) as written, with the AWS SDK for JavaScript v2,
// then waiting for the run to end. It talks to OpenGlue by configuration alone: set
// AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_GLUE) to the server, plus the usual credentials.
import AWS from "aws-sdk";
AWS.config.update({ region: "us-east-1" });
// The SDK v2 is the one AWS SDK that does not read AWS_ENDPOINT_URL itself, so this line hands
// it the same variables as service-specific configuration (unset: Glue calls go to AWS).
AWS.config.update({ glue: { endpoint: process.env.AWS_ENDPOINT_URL_GLUE ?? process.env.AWS_ENDPOINT_URL } });

const glue = new AWS.Glue();

async function runGlueJob(jobName) {
  const params = { JobName: jobName };
  const response = await glue.startJobRun(params).promise();
  console.log("Glue Job Started:", response.JobRunId);
  return response.JobRunId;
}

const FINAL_STATES = new Set(["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"]);

async function waitForJobRun(jobName, runId) {
  for (;;) {
    const { JobRun } = await glue.getJobRun({ JobName: jobName, RunId: runId }).promise();
    if (FINAL_STATES.has(JobRun.JobRunState)) {
      return JobRun;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// Trigger Glue job
const runId = await runGlueJob("transform_orders_job");
const run = await waitForJobRun("transform_orders_job", runId);
console.log("Glue Job Finished:", run.JobRunState, run.ErrorMessage ?? "");
process.exitCode = run.JobRunState === "SUCCEEDED" ? 0 : 1;
