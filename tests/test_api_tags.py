"""Tags through boto3 against a real server process."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

PREFIX = "arn:aws:glue:us-east-1:123456789012:"


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


def _connection(name: str) -> dict[str, Any]:
    return {"Name": name, "ConnectionType": "NETWORK", "ConnectionProperties": {}}


def test_tag_untag_get_on_a_database(glue: Any, unique_name: str) -> None:
    glue.create_database(DatabaseInput={"Name": unique_name}, Tags={"team": "data"})
    arn = PREFIX + "database/" + unique_name
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "data"}

    glue.tag_resource(ResourceArn=arn, TagsToAdd={"env": "dev", "team": "bi", "Empty": ""})
    # Database names are case-insensitive, so their ARNs are too.
    upper = PREFIX + "database/" + unique_name.upper()
    assert glue.get_tags(ResourceArn=upper)["Tags"] == {"team": "bi", "env": "dev", "Empty": ""}

    glue.untag_resource(ResourceArn=arn, TagsToRemove=["env", "not-there"])
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "bi", "Empty": ""}

    # A database created again under the same name starts with only its own tags.
    glue.delete_database(Name=unique_name)
    with pytest.raises(ClientError) as exc:
        glue.get_tags(ResourceArn=arn)
    assert _code(exc) == "EntityNotFoundException"
    assert _message(exc) == f"Database {unique_name} not found."
    glue.create_database(DatabaseInput={"Name": unique_name})
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {}
    glue.delete_database(Name=unique_name)


def test_connection_tags_follow_the_connection(glue: Any, unique_name: str) -> None:
    name = "Net-" + unique_name
    glue.create_connection(ConnectionInput=_connection(name), Tags={"k": "v"})
    arn = PREFIX + "connection/" + name
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"k": "v"}
    with pytest.raises(ClientError) as exc:  # connection names keep their case
        glue.get_tags(ResourceArn=PREFIX + "connection/" + name.lower())
    assert _code(exc) == "EntityNotFoundException"

    renamed = name + "-2"
    glue.update_connection(Name=name, ConnectionInput=_connection(renamed))
    assert glue.get_tags(ResourceArn=PREFIX + "connection/" + renamed)["Tags"] == {"k": "v"}

    glue.delete_connection(ConnectionName=renamed)
    glue.create_connection(ConnectionInput=_connection(renamed))
    assert glue.get_tags(ResourceArn=PREFIX + "connection/" + renamed)["Tags"] == {}
    glue.delete_connection(ConnectionName=renamed)


def test_services_not_yet_built_accept_tags(glue: Any, unique_name: str) -> None:
    arn = PREFIX + "blueprint/" + unique_name
    glue.tag_resource(ResourceArn=arn, TagsToAdd={"owner": "me"})
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"owner": "me"}
    glue.untag_resource(ResourceArn=arn, TagsToRemove=["owner"])
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {}


def test_at_most_fifty_tags(glue: Any, unique_name: str) -> None:
    arn = PREFIX + "crawler/" + unique_name
    glue.create_crawler(Name=unique_name, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]})
    glue.tag_resource(ResourceArn=arn, TagsToAdd={f"k{i}": "v" for i in range(50)})
    glue.tag_resource(ResourceArn=arn, TagsToAdd={"k0": "overwritten"})
    with pytest.raises(ClientError) as exc:
        glue.tag_resource(ResourceArn=arn, TagsToAdd={"one-more": "v"})
    assert _code(exc) == "InvalidInputException" and "at most 50" in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.tag_resource(ResourceArn=arn, TagsToAdd={f"x{i}": "v" for i in range(51)})
    assert _code(exc) == "InvalidInputException"
    assert len(glue.get_tags(ResourceArn=arn)["Tags"]) == 50


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:glue:us-east-1:123456789012", "not a Glue resource ARN"),
        ("arn:aws:glue:us-east-1:123456789012:gadget/x", "resource type 'gadget'"),
        ("arn:aws:glue:us-east-1:123456789012:database/", "expected database/<name>"),
        ("arn:aws:glue:us-east-1:123456789012:table/db", "expected table/<database>/<table>"),
        ("arn:aws:glue:eu-west-1:123456789012:job/x", "answers for us-east-1"),
        ("arn:aws:glue:us-east-1:999999999999:job/x", "account 123456789012"),
        ("arn:aws:glue:us-east-1:123456789012:table/db/t", "does not support tags on table"),
        (
            "arn:aws:glue:us-east-1:123456789012:userDefinedFunction/db/f",
            "does not support tags on userDefinedFunction",
        ),
    ],
)
def test_bad_arns_say_what_is_wrong(glue: Any, arn: str, expected: str) -> None:
    for call in (
        lambda: glue.get_tags(ResourceArn=arn),
        lambda: glue.tag_resource(ResourceArn=arn, TagsToAdd={"k": "v"}),
        lambda: glue.untag_resource(ResourceArn=arn, TagsToRemove=["k"]),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert _code(exc) == "InvalidInputException"
        assert expected in _message(exc)


def test_missing_resources_and_reserved_prefix(glue: Any, unique_name: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.tag_resource(ResourceArn=PREFIX + "connection/" + unique_name, TagsToAdd={"k": "v"})
    assert _code(exc) == "EntityNotFoundException"
    assert _message(exc) == f"Connection {unique_name} not found."

    arn = PREFIX + "workflow/" + unique_name
    for tags in ({"aws:owner": "me"}, {"owner": "AWS:me"}):
        with pytest.raises(ClientError) as exc:
            glue.tag_resource(ResourceArn=arn, TagsToAdd=tags)
        assert _code(exc) == "InvalidInputException" and "reserved" in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.untag_resource(ResourceArn=arn, TagsToRemove=["aws:owner"])
    assert _code(exc) == "InvalidInputException"

    # Create* with reserved tags creates nothing.
    with pytest.raises(ClientError) as exc:
        glue.create_connection(ConnectionInput=_connection(unique_name), Tags={"aws:x": "y"})
    assert _code(exc) == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.get_connection(Name=unique_name)
    assert _code(exc) == "EntityNotFoundException"


def test_database_tags_follow_rename_and_delete(glue: Any, unique_name: str) -> None:
    arn = f"arn:aws:glue:us-east-1:123456789012:database/{unique_name}"
    with pytest.raises(ClientError):
        glue.create_database(DatabaseInput={"Name": unique_name}, Tags={"aws:bad": "x"})
    with pytest.raises(ClientError) as missing:
        glue.get_database(Name=unique_name)
    assert missing.value.response["Error"]["Code"] == "EntityNotFoundException"

    glue.create_database(DatabaseInput={"Name": unique_name}, Tags={"team": "data"})
    glue.update_database(Name=unique_name, DatabaseInput={"Name": unique_name + "_new"})
    assert glue.get_tags(ResourceArn=arn + "_new")["Tags"] == {"team": "data"}
    glue.delete_database(Name=unique_name + "_new")
    glue.create_database(DatabaseInput={"Name": unique_name + "_new"})
    assert glue.get_tags(ResourceArn=arn + "_new")["Tags"] == {}
    glue.delete_database(Name=unique_name + "_new")
