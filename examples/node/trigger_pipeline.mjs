// The seed pipeline started from Node.js with the AWS SDK for JavaScript v3: fire the ON_DEMAND
// trigger that starts orders_crawler (demo/pipeline_setup.py defines it), then follow what the
// triggers start: the crawl, and the run of transform_orders_job that the crawl's conditional
// trigger starts, until that run ends. Exits 0 only when the run SUCCEEDED.
// Configured by the environment alone: AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_GLUE) and the
// usual credentials; against AWS Glue, leave the endpoint unset.
import {
  GetCrawlerCommand,
  GetJobRunsCommand,
  GlueClient,
  StartTriggerCommand,
} from "@aws-sdk/client-glue";

const TRIGGER = process.env.PIPELINE_TRIGGER ?? "orders_run_now";
const CRAWLER = "orders_crawler";
const JOB = "transform_orders_job";
const TIMEOUT_MS = Number(process.env.PIPELINE_TIMEOUT_SECONDS ?? 300) * 1000;
const FINAL_STATES = new Set(["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"]);

const glue = new GlueClient({ region: process.env.AWS_REGION ?? "us-east-1" });
const deadline = Date.now() + TIMEOUT_MS;

async function poll(what, probe) {
  for (;;) {
    const found = await probe();
    if (found !== undefined) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up after ${TIMEOUT_MS / 1000} s waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function runIds() {
  const { JobRuns } = await glue.send(new GetJobRunsCommand({ JobName: JOB }));
  return JobRuns;
}

// Runs that exist before the trigger fires are not the one it starts.
const before = new Set((await runIds()).map((run) => run.Id));
const firedAt = Date.now() - 1000; // a second's leeway for the two clocks' precision
await glue.send(new StartTriggerCommand({ Name: TRIGGER }));
console.log(`Trigger started: ${TRIGGER}`);

const crawl = await poll(`${CRAWLER} to crawl`, async () => {
  const { Crawler } = await glue.send(new GetCrawlerCommand({ Name: CRAWLER }));
  const started = Crawler.LastCrawl?.StartTime;
  const ended = Crawler.State === "READY" && started && started.getTime() > firedAt;
  return ended ? Crawler.LastCrawl : undefined;
});
console.log(`Crawler ${CRAWLER}: ${crawl.Status}`);
if (crawl.Status !== "SUCCEEDED") {
  // The conditional trigger waits for SUCCEEDED: no job run will come.
  console.log(`Pipeline finished: crawl ${crawl.Status} ${crawl.ErrorMessage ?? ""}`.trimEnd());
  process.exit(1);
}

let last;
const run = await poll(`the run of ${JOB} that the crawl starts`, async () => {
  const fresh = (await runIds()).find((r) => !before.has(r.Id));
  if (fresh && fresh.JobRunState !== last) {
    last = fresh.JobRunState;
    console.log(`Job run ${fresh.Id} (trigger ${fresh.TriggerName}): ${last}`);
  }
  return fresh && FINAL_STATES.has(fresh.JobRunState) ? fresh : undefined;
});
console.log(`Pipeline finished: ${run.JobRunState} ${run.ErrorMessage ?? ""}`.trimEnd());
process.exitCode = run.JobRunState === "SUCCEEDED" ? 0 : 1;
