"""Everything the seed guide's pipeline has, defined through boto3 as one would on AWS Glue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BOOKMARKED_SCRIPT = ROOT / "examples" / "transform_orders_job_bookmarked.py"
ROLE = "arn:aws:iam::123456789012:role/GlueDemo"

DATABASE = "ecommerce_data"
ORDERS = "s3://my-app-bucket/orders/"
CLEANED = "s3://my-app-bucket/orders_cleaned/"
CRAWLER = "orders_crawler"
CLEANED_CRAWLER = "orders_cleaned_crawler"
JOB = "transform_orders_job"
ON_UPLOAD = "orders_uploaded"  # EVENT: new objects under orders/ → crawl them
AFTER_CRAWL = "orders_crawled"  # CONDITIONAL: orders_crawler SUCCEEDED → transform
AFTER_JOB = "orders_transformed"  # CONDITIONAL: transform SUCCEEDED → catalog the output
DAILY = "orders_daily"  # SCHEDULED: the daily run at 02:00 UTC
RUN_NOW = "orders_run_now"  # ON_DEMAND: the pipeline by hand (StartTrigger)
DAILY_SCHEDULE = "cron(0 2 * * ? *)"
# A batch of new files fires the crawl once they have all landed: up to 100 files, or
# whatever came within 2 s of the first one.
BATCHING = {"BatchSize": 100, "BatchWindow": 2}


def define_pipeline(glue: Any, show: Any) -> None:
    glue.create_database(DatabaseInput={"Name": DATABASE, "Description": "Orders"})
    show(f"CreateDatabase {DATABASE}")
    for name, path in ((CRAWLER, ORDERS), (CLEANED_CRAWLER, CLEANED)):
        glue.create_crawler(
            Name=name, Role=ROLE, DatabaseName=DATABASE, Targets={"S3Targets": [{"Path": path}]}
        )
        show(f"CreateCrawler {name} on {path} into {DATABASE}")
    glue.create_job(
        Name=JOB,
        Role=ROLE,
        Command={"Name": "glueetl", "ScriptLocation": str(BOOKMARKED_SCRIPT)},
        DefaultArguments={"--job-bookmark-option": "job-bookmark-enable"},
        GlueVersion="5.0",
    )
    show(f"CreateJob {JOB}: {BOOKMARKED_SCRIPT.relative_to(ROOT)}, job-bookmark-enable")
    show('  (the seed\'s script plus transformation_ctx="orders" on its read: Glue keeps a')
    show("   bookmark per transformation_ctx, so without one every run reads everything)")

    glue.create_trigger(
        Name=ON_UPLOAD,
        Type="EVENT",
        EventBatchingCondition=BATCHING,
        Actions=[{"CrawlerName": CRAWLER}],
        Tags={"openglue:event-source": ORDERS},
        StartOnCreation=True,
    )
    show(f"CreateTrigger {ON_UPLOAD}: EVENT, new objects under {ORDERS} → {CRAWLER}")
    _conditional(glue, AFTER_CRAWL, {"CrawlerName": CRAWLER, "CrawlState": "SUCCEEDED"}, JOB)
    show(f"CreateTrigger {AFTER_CRAWL}: CONDITIONAL, {CRAWLER} SUCCEEDED → {JOB}")
    _conditional(
        glue, AFTER_JOB, {"JobName": JOB, "State": "SUCCEEDED"}, None, crawler=CLEANED_CRAWLER
    )
    show(f"CreateTrigger {AFTER_JOB}: CONDITIONAL, {JOB} SUCCEEDED → {CLEANED_CRAWLER}")
    glue.create_trigger(
        Name=DAILY,
        Type="SCHEDULED",
        Schedule=DAILY_SCHEDULE,
        Actions=[{"CrawlerName": CRAWLER}],
        StartOnCreation=True,
    )
    state = glue.get_trigger(Name=DAILY)["Trigger"]["State"]
    show(f"CreateTrigger {DAILY}: SCHEDULED {DAILY_SCHEDULE} → {CRAWLER} ({state})")
    glue.create_trigger(Name=RUN_NOW, Type="ON_DEMAND", Actions=[{"CrawlerName": CRAWLER}])
    show(f"CreateTrigger {RUN_NOW}: ON_DEMAND → {CRAWLER} (StartTrigger runs the pipeline)")


def _conditional(
    glue: Any, name: str, condition: dict[str, str], job: str | None, crawler: str = ""
) -> None:
    action = {"JobName": job} if job else {"CrawlerName": crawler}
    glue.create_trigger(
        Name=name,
        Type="CONDITIONAL",
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", **condition}]},
        Actions=[action],
        StartOnCreation=True,
    )
