"""One GetCallerIdentity with boto3's default credential chain; prints the
caller ARN, or the error code and message, and exits 0 / 1."""
import json, os, sys
import boto3
from botocore.exceptions import ClientError

client = boto3.client("sts", region_name=os.environ.get("AWS_REGION"), endpoint_url=os.environ["STS_ENDPOINT"])
try:
    out = client.get_caller_identity()
    print(json.dumps({"ok": True, "arn": out["Arn"], "account": out["Account"]}))
except ClientError as e:
    print(json.dumps({"ok": False, "code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}))
    sys.exit(1)
