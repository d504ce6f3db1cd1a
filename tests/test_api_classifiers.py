"""Custom classifiers through boto3 against a real server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


def test_four_kinds(glue: Any, unique_name: str) -> None:
    grok, csv, json, xml = (f"{unique_name}-{k}" for k in ("grok", "csv", "json", "xml"))
    glue.create_classifier(
        GrokClassifier={
            "Name": grok,
            "Classification": "applog",
            "GrokPattern": "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{GREEDYDATA:msg}",
            "CustomPatterns": "MYWORD [a-z]+",
        }
    )
    glue.create_classifier(
        CsvClassifier={
            "Name": csv,
            "Delimiter": "|",
            "ContainsHeader": "PRESENT",
            "Header": ["a", "b"],
        }
    )
    glue.create_classifier(JsonClassifier={"Name": json, "JsonPath": "$.records[*]"})
    glue.create_classifier(XMLClassifier={"Name": xml, "Classification": "xml", "RowTag": "row"})

    got = glue.get_classifier(Name=grok)["Classifier"]
    assert list(got) == ["GrokClassifier"]
    body = got["GrokClassifier"]
    assert (body["Name"], body["Classification"], body["Version"]) == (grok, "applog", 1)
    assert body["CustomPatterns"] == "MYWORD [a-z]+"
    assert body["CreationTime"] == body["LastUpdated"]
    csv_body = glue.get_classifier(Name=csv)["Classifier"]["CsvClassifier"]
    assert (csv_body["Delimiter"], csv_body["Header"]) == ("|", ["a", "b"])

    # UpdateClassifier changes the given members, keeps the rest, bumps Version.
    glue.update_classifier(CsvClassifier={"Name": csv, "Delimiter": ";"})
    csv_body = glue.get_classifier(Name=csv)["Classifier"]["CsvClassifier"]
    assert (csv_body["Delimiter"], csv_body["ContainsHeader"], csv_body["Version"]) == (
        ";",
        "PRESENT",
        2,
    )
    with pytest.raises(ClientError) as exc:
        glue.update_classifier(JsonClassifier={"Name": csv, "JsonPath": "$"})
    assert _code(exc) == "InvalidInputException" and "CsvClassifier" in _message(exc)

    pages = glue.get_paginator("get_classifiers").paginate(PaginationConfig={"PageSize": 2})
    mine = [
        next(iter(c.values()))["Name"]
        for page in pages
        for c in page["Classifiers"]
        if next(iter(c.values()))["Name"].startswith(unique_name)
    ]
    assert mine == sorted([grok, csv, json, xml])

    # A crawler may use them; a missing one is refused.
    glue.create_crawler(
        Name=unique_name,
        Role="r",
        Targets={"S3Targets": [{"Path": "s3://b/p"}]},
        Classifiers=[grok, csv],
    )
    assert glue.get_crawler(Name=unique_name)["Crawler"]["Classifiers"] == [grok, csv]
    glue.delete_crawler(Name=unique_name)

    for name in (grok, csv, json, xml):
        glue.delete_classifier(Name=name)
    with pytest.raises(ClientError) as exc:
        glue.get_classifier(Name=grok)
    assert _code(exc) == "EntityNotFoundException"
    with pytest.raises(ClientError) as exc:
        glue.delete_classifier(Name=grok)
    assert _code(exc) == "EntityNotFoundException"


@pytest.mark.parametrize(
    ("request_body", "code", "fragment"),
    [
        ({}, "InvalidInputException", "exactly one"),
        (
            {
                "JsonClassifier": {"Name": "x", "JsonPath": "$"},
                "XMLClassifier": {"Name": "x", "Classification": "c", "RowTag": "r"},
            },
            "InvalidInputException",
            "exactly one",
        ),
        ({"JsonClassifier": {"Name": "x", "JsonPath": "records"}}, "InvalidInputException", "$"),
        (
            {"CsvClassifier": {"Name": "x", "Delimiter": ",", "QuoteSymbol": ","}},
            "InvalidInputException",
            "differ",
        ),
        (
            {"GrokClassifier": {"Name": "x", "Classification": "c", "GrokPattern": "%{WORD"}},
            "InvalidInputException",
            "malformed",
        ),
        (
            {"GrokClassifier": {"Name": "x", "Classification": "c", "GrokPattern": "%{NOPE:a}"}},
            "InvalidInputException",
            "%{NOPE} is not defined",
        ),
        (
            {
                "GrokClassifier": {
                    "Name": "x",
                    "Classification": "c",
                    "GrokPattern": "%{WORD:a}",
                    "CustomPatterns": "justaname",
                }
            },
            "InvalidInputException",
            "not 'NAME regex'",
        ),
        (
            {"CsvClassifier": {"Name": "x", "ContainsHeader": "MAYBE"}},
            "InvalidInputException",
            "ContainsHeader",
        ),
    ],
)
def test_bad_classifiers(glue: Any, request_body: dict[str, Any], code: str, fragment: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.create_classifier(**request_body)
    assert _code(exc) == code
    assert fragment in _message(exc)


def test_names_are_shared_across_kinds(glue: Any, unique_name: str) -> None:
    glue.create_classifier(JsonClassifier={"Name": unique_name, "JsonPath": "$[*]"})
    with pytest.raises(ClientError) as exc:
        glue.create_classifier(
            XMLClassifier={"Name": unique_name, "Classification": "x", "RowTag": "r"}
        )
    assert _code(exc) == "AlreadyExistsException"
    glue.delete_classifier(Name=unique_name)
