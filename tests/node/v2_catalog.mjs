// The AWS SDK for JavaScript v2, used the way a Node.js app uses it, against OpenGlue.
// Reads AWS_ENDPOINT_URL and the usual credential variables; prints a JSON summary and exits
// non-zero on the first mismatch. Driven by tests/test_node_clients.py.
import AWS from "aws-sdk";

const glue = new AWS.Glue({
  endpoint: process.env.AWS_ENDPOINT_URL,
  region: "us-east-1",
  maxRetries: 0,
});

const prefix = `node2_${process.pid}_${Date.now().toString(36)}`;
const names = [0, 1, 2, 3, 4].map((i) => `${prefix}_${i}`);
const summary = { sdk: "aws-sdk v2", version: AWS.VERSION, checks: [] };

function check(label, ok, detail) {
  summary.checks.push({ label, ok: Boolean(ok), ...(detail === undefined ? {} : { detail }) });
  if (!ok) {
    throw new Error(`check failed: ${label} ${JSON.stringify(detail ?? null)}`);
  }
}

async function listAll(pageSize) {
  const seen = [];
  let pages = 0;
  let token;
  do {
    const page = await glue.getDatabases({ MaxResults: pageSize, NextToken: token }).promise();
    pages += 1;
    seen.push(...page.DatabaseList.map((d) => d.Name));
    token = page.NextToken;
  } while (token);
  return { seen, pages };
}

async function main() {
  await glue
    .createDatabase({
      DatabaseInput: { Name: names[0], Description: "from node v2", Parameters: { k: "v" } },
    })
    .promise();
  for (const name of names.slice(1)) {
    await glue.createDatabase({ DatabaseInput: { Name: name } }).promise();
  }

  const got = await glue.getDatabase({ Name: names[0] }).promise();
  check("get returns the database", got.Database.Name === names[0], got.Database.Name);
  check("description round-trips", got.Database.Description === "from node v2");
  check("parameters round-trip", got.Database.Parameters?.k === "v", got.Database.Parameters);
  check(
    "CreateTime parses to a Date",
    got.Database.CreateTime instanceof Date && !Number.isNaN(got.Database.CreateTime.getTime()),
    String(got.Database.CreateTime),
  );
  check(
    "CreateTime is recent",
    Math.abs(got.Database.CreateTime.getTime() - Date.now()) < 600_000,
    got.Database.CreateTime.toISOString(),
  );

  const all = await glue.getDatabases().promise();
  const listed = all.DatabaseList.map((d) => d.Name);
  check(
    "getDatabases lists every new database",
    all.NextToken !== undefined || names.every((n) => listed.includes(n)),
  );

  const { seen, pages } = await listAll(2);
  check("paging by 2 reaches every database", names.every((n) => seen.includes(n)), pages);
  check("paging by 2 takes several pages", pages >= 3, pages);
  check("paging repeats no database", new Set(seen).size === seen.length);

  const missing = `${prefix}_missing`;
  try {
    await glue.getDatabase({ Name: missing }).promise();
    check("missing database is an error", false);
  } catch (err) {
    check("missing database code", err.code === "EntityNotFoundException", err.code);
    check("missing database status", err.statusCode === 400, err.statusCode);
    check("missing database message names it", String(err.message).includes(missing));
    check("error carries the request id", Boolean(err.requestId), err.requestId);
  }

  for (const name of names) {
    await glue.deleteDatabase({ Name: name }).promise();
  }
  const left = (await listAll(100)).seen.filter((n) => n.startsWith(prefix));
  check("deleted databases are gone", left.length === 0, left);
}

try {
  await main();
  summary.ok = true;
} catch (err) {
  summary.ok = false;
  summary.error = `${err.name}: ${err.message}`;
  process.exitCode = 1;
}
console.log(JSON.stringify(summary));
