// The AWS SDK for JavaScript v3 (@aws-sdk/client-glue) against OpenGlue: commands, the
// generated paginator and modeled errors. Reads AWS_ENDPOINT_URL and the credential variables;
// prints a JSON summary and exits non-zero on the first mismatch. Driven by
// tests/test_node_clients.py.
import {
  CreateDatabaseCommand,
  DeleteDatabaseCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GlueClient,
  GlueServiceException,
  InvalidInputException,
  paginateGetDatabases,
} from "@aws-sdk/client-glue";

const glue = new GlueClient({
  endpoint: process.env.AWS_ENDPOINT_URL,
  region: process.env.AWS_REGION ?? "us-east-1",
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  },
  maxAttempts: 1,
});

const prefix = `node3_${process.pid}_${Date.now().toString(36)}`;
const names = [0, 1, 2, 3, 4].map((i) => `${prefix}_${i}`);
const summary = { sdk: "@aws-sdk/client-glue", checks: [] };

function check(label, ok, detail) {
  summary.checks.push({ label, ok: Boolean(ok), ...(detail === undefined ? {} : { detail }) });
  if (!ok) {
    throw new Error(`check failed: ${label} ${JSON.stringify(detail ?? null)}`);
  }
}

async function paginatedNames(pageSize) {
  const seen = [];
  let pages = 0;
  for await (const page of paginateGetDatabases({ client: glue, pageSize }, {})) {
    pages += 1;
    seen.push(...(page.DatabaseList ?? []).map((d) => d.Name));
  }
  return { seen, pages };
}

async function main() {
  await glue.send(
    new CreateDatabaseCommand({
      DatabaseInput: { Name: names[0], Description: "from node v3", Parameters: { k: "v" } },
    }),
  );
  for (const name of names.slice(1)) {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));
  }

  const got = await glue.send(new GetDatabaseCommand({ Name: names[0] }));
  check("get returns the database", got.Database?.Name === names[0], got.Database?.Name);
  check("description round-trips", got.Database.Description === "from node v3");
  check("parameters round-trip", got.Database.Parameters?.k === "v", got.Database.Parameters);
  check("http status 200", got.$metadata.httpStatusCode === 200, got.$metadata.httpStatusCode);
  check("request id in metadata", Boolean(got.$metadata.requestId), got.$metadata.requestId);
  const created = got.Database.CreateTime;
  check(
    "CreateTime parses to a Date",
    created instanceof Date && !Number.isNaN(created.getTime()),
    String(created),
  );
  check(
    "CreateTime is recent",
    Math.abs(created.getTime() - Date.now()) < 600_000,
    created.toISOString(),
  );

  const listed = await glue.send(new GetDatabasesCommand({}));
  const first = listed.DatabaseList.map((d) => d.Name);
  check("CatalogId is set", listed.DatabaseList.every((d) => Boolean(d.CatalogId)));
  check(
    "listed CreateTime values are Dates",
    listed.DatabaseList.every((d) => d.CreateTime instanceof Date),
  );
  check(
    "GetDatabases lists every new database",
    listed.NextToken !== undefined || names.every((n) => first.includes(n)),
  );

  const { seen, pages } = await paginatedNames(2);
  check("paginator reaches every database", names.every((n) => seen.includes(n)), pages);
  check("paginator takes several pages", pages >= 3, pages);
  check("paginator repeats no database", new Set(seen).size === seen.length);

  const missing = `${prefix}_missing`;
  try {
    await glue.send(new GetDatabaseCommand({ Name: missing }));
    check("missing database is an error", false);
  } catch (err) {
    check("missing database name", err.name === "EntityNotFoundException", err.name);
    check("modeled error class", err instanceof EntityNotFoundException, err.constructor.name);
    check("service exception base", err instanceof GlueServiceException);
    check("missing database message names it", String(err.message).includes(missing));
    check("error status", err.$metadata?.httpStatusCode === 400, err.$metadata?.httpStatusCode);
    check("error fault is client", err.$fault === "client", err.$fault);
  }

  // The JS SDK v3 validates nothing before sending, so the server's checks are what it sees.
  try {
    await glue.send(new GetDatabasesCommand({ MaxResults: 1000 }));
    check("MaxResults above the maximum is refused", false);
  } catch (err) {
    check("MaxResults error class", err instanceof InvalidInputException, err.name);
    check("MaxResults error names it", String(err.message).includes("MaxResults"), err.message);
  }

  for (const name of names) {
    await glue.send(new DeleteDatabaseCommand({ Name: name }));
  }
  const left = (await paginatedNames(100)).seen.filter((n) => n.startsWith(prefix));
  check("deleted databases are gone", left.length === 0, left);
}

try {
  await main();
  summary.ok = true;
} catch (err) {
  summary.ok = false;
  summary.error = `${err.name}: ${err.message}`;
  process.exitCode = 1;
} finally {
  glue.destroy();
}
console.log(JSON.stringify(summary));
