#!/bin/sh
# Creates what sora-batch needs for queue input and bucket output, and wires the input bucket to the queue:
#   - input bucket and output bucket
#   - dead-letter queue, and the event queue with a redrive policy to it
#   - a queue policy that lets the input bucket (and only it) send to the event queue
#   - bucket notifications: ObjectCreated under the input prefix, one rule per suffix (.csv, .json, .jsonl)
# Every step can be run again. docker-compose.yml runs it once against the emulator; with AWS_ENDPOINT_URL unset
# and real credentials it does the same in an AWS account (the names below are then likely taken: set your own).
set -eu

REGION="${AWS_DEFAULT_REGION:-us-east-1}"
INPUT_BUCKET="${SORA_INPUT_BUCKET:-sora-input}"
OUTPUT_BUCKET="${SORA_OUTPUT_BUCKET:-sora-output}"
QUEUE="${SORA_QUEUE:-sora-events}"
DLQ="${SORA_DLQ:-sora-events-dlq}"
# Only objects under this prefix are announced; keep the pipeline's done/ and error/ prefixes outside it.
INPUT_PREFIX="${SORA_INPUT_PREFIX:-incoming/}"
# Longer than reading and committing the largest prompt file you expect.
VISIBILITY_TIMEOUT="${SORA_VISIBILITY_TIMEOUT:-300}"
# Above the pipeline's sora.input.sqs.max-receives (5), so the pipeline decides first and this is the backstop.
MAX_RECEIVE_COUNT="${SORA_MAX_RECEIVE_COUNT:-10}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

make_bucket() {
  if aws s3api head-bucket --bucket "$1" >/dev/null 2>&1; then
    echo "bucket $1: exists"
  elif [ "$REGION" = "us-east-1" ]; then
    aws s3api create-bucket --bucket "$1" >/dev/null && echo "bucket $1: created"
  else
    aws s3api create-bucket --bucket "$1" \
      --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null && echo "bucket $1: created"
  fi
}

queue_arn() {
  aws sqs get-queue-attributes --queue-url "$1" --attribute-names QueueArn --query Attributes.QueueArn --output text
}

make_bucket "$INPUT_BUCKET"
make_bucket "$OUTPUT_BUCKET"

account="$(aws sts get-caller-identity --query Account --output text)"

dlq_url="$(aws sqs create-queue --queue-name "$DLQ" --query QueueUrl --output text)"
dlq_arn="$(queue_arn "$dlq_url")"
# Keep poison messages for the longest time SQS allows (14 days).
aws sqs set-queue-attributes --queue-url "$dlq_url" --attributes MessageRetentionPeriod=1209600
echo "queue $DLQ: $dlq_arn"

queue_url="$(aws sqs create-queue --queue-name "$QUEUE" --query QueueUrl --output text)"
queue_arn="$(queue_arn "$queue_url")"
cat > "$work/queue-attributes.json" <<JSON
{
  "VisibilityTimeout": "$VISIBILITY_TIMEOUT",
  "MessageRetentionPeriod": "1209600",
  "RedrivePolicy": "{\"deadLetterTargetArn\":\"$dlq_arn\",\"maxReceiveCount\":\"$MAX_RECEIVE_COUNT\"}",
  "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"InputBucketEvents\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"$queue_arn\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::$INPUT_BUCKET\"},\"StringEquals\":{\"aws:SourceAccount\":\"$account\"}}}]}"
}
JSON
aws sqs set-queue-attributes --queue-url "$queue_url" --attributes "file://$work/queue-attributes.json"
echo "queue $QUEUE: $queue_arn (redrive to $DLQ after $MAX_RECEIVE_COUNT receives)"

# S3 takes one prefix and one suffix per rule, so each suffix gets its own rule (they do not overlap).
rule() {
  printf '{"Id":"sora-%s","QueueArn":"%s","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"%s"},{"Name":"suffix","Value":".%s"}]}}}' \
    "$1" "$queue_arn" "$INPUT_PREFIX" "$1"
}
printf '{"QueueConfigurations":[%s,%s,%s]}' "$(rule csv)" "$(rule json)" "$(rule jsonl)" > "$work/notification.json"
aws s3api put-bucket-notification-configuration --bucket "$INPUT_BUCKET" \
  --notification-configuration "file://$work/notification.json"
echo "notifications: s3://$INPUT_BUCKET/$INPUT_PREFIX*.{csv,json,jsonl} -> $QUEUE"
