# File attachments: the app keeps them in an S3 bucket under files/ (STORAGE_URL in ecs.tf),
# through the task role, which may touch that prefix of that bucket and nothing else. Uploads are
# multipart uploads by the tasks; downloads are redirects to presigned GET URLs (5 minutes).
#
# The bucket is private (public access blocked, ACLs disabled, non-TLS requests refused),
# encrypted with the app's KMS key (kms.tf; an S3 bucket key keeps the KMS calls few) and
# versioned: a deleted or overwritten file stays recoverable for storage_noncurrent_version_days.
# Its server access logs go to a second bucket, kept log_retention_days.

locals {
  # Bucket names are global: the account and the region make them unique (at most 59 characters
  # with a 20-character name).
  files_bucket      = "${var.name}-files-${local.account_id}-${var.aws_region}"
  files_logs_bucket = "${var.name}-files-logs-${local.account_id}-${var.aws_region}"
  # Where the app's objects are (STORAGE_URL=s3://<bucket>/files); the task role is limited to it.
  files_prefix = "files"
}

################################################################################
# The attachments bucket
################################################################################

resource "aws_s3_bucket" "files" {
  #checkov:skip=CKV_AWS_144:A copy in a second region is a disaster-recovery choice left to the operator; versioning already keeps deleted files.
  #checkov:skip=CKV2_AWS_62:Nothing consumes bucket events: the app records every file in its database.
  bucket        = local.files_bucket
  force_destroy = var.storage_force_destroy
}

resource "aws_s3_bucket_public_access_block" "files" {
  bucket = aws_s3_bucket.files.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs disabled: the account owns every object and only policies grant access.
resource "aws_s3_bucket_ownership_controls" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.app.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "files" {
  bucket = aws_s3_bucket.files.id

  versioning_configuration {
    status = "Enabled"
  }
}

# A deleted file (by the app or by its orphan sweep) becomes a noncurrent version, removed after
# storage_noncurrent_version_days; an upload that never completed is aborted after a day, its
# parts deleted.
resource "aws_s3_bucket_lifecycle_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    id     = "deleted-files-and-abandoned-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }

    noncurrent_version_expiration {
      noncurrent_days = var.storage_noncurrent_version_days
    }

    # The delete marker left once a deleted file's last version has expired.
    expiration {
      expired_object_delete_marker = true
    }
  }

  # Lifecycle rules on noncurrent versions need versioning first.
  depends_on = [aws_s3_bucket_versioning.files]
}

resource "aws_s3_bucket_logging" "files" {
  bucket = aws_s3_bucket.files.id

  target_bucket = aws_s3_bucket.files_logs.id
  target_prefix = "${local.files_bucket}/"

  # <prefix><account>/<region>/<bucket>/YYYY/MM/DD/...: a day's logs under one key prefix.
  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }

  # Log delivery needs the logs bucket's policy.
  depends_on = [aws_s3_bucket_policy.files_logs]
}

data "aws_iam_policy_document" "files_bucket" {
  statement {
    sid       = "DenyWithoutTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.files.arn, "${aws_s3_bucket.files.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "files" {
  bucket = aws_s3_bucket.files.id
  policy = data.aws_iam_policy_document.files_bucket.json

  # S3 refuses a policy while the public access block is being put in place.
  depends_on = [aws_s3_bucket_public_access_block.files]
}

################################################################################
# What the app's tasks may do (attached to the task role by module.ecs_service in ecs.tf)
################################################################################

data "aws_iam_policy_document" "files_access" {
  # Read, write, delete and multipart uploads under the prefix. s3:PutObject covers
  # CreateMultipartUpload, UploadPart and CompleteMultipartUpload; s3:GetObject covers HEAD and
  # the presigned GET URLs, which are signed with this role's credentials.
  statement {
    sid = "FilesUnderThePrefix"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.files.arn}/${local.files_prefix}/*"]
  }

  # Listing (the orphan sweep), under the prefix only.
  statement {
    sid       = "ListThePrefix"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.files.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.files_prefix}/", "${local.files_prefix}/*"]
    }
  }

  # S3 encrypts and decrypts with the bucket's key on the role's behalf (GenerateDataKey for
  # uploads, Decrypt for downloads and multipart uploads); the key policy delegates to IAM.
  statement {
    sid       = "TheKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.app.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "files_access" {
  name        = "${var.name}-files"
  description = "${var.name} tasks: the attachments in s3://${local.files_bucket}/${local.files_prefix}/"
  policy      = data.aws_iam_policy_document.files_access.json
}

################################################################################
# The access logs bucket (S3 server access logs of the attachments bucket)
################################################################################

resource "aws_s3_bucket" "files_logs" {
  #checkov:skip=CKV_AWS_144:Access logs need no copy in a second region.
  #checkov:skip=CKV2_AWS_62:Nothing consumes the log bucket's events.
  #checkov:skip=CKV_AWS_145:S3 server access logging supports only SSE-S3 default encryption on the target bucket (AWS docs); the logs hold request records, not file contents.
  bucket        = local.files_logs_bucket
  force_destroy = var.storage_force_destroy
}

resource "aws_s3_bucket_public_access_block" "files_logs" {
  bucket = aws_s3_bucket.files_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "files_logs" {
  bucket = aws_s3_bucket.files_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "files_logs" {
  bucket = aws_s3_bucket.files_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "files_logs" {
  bucket = aws_s3_bucket.files_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

# Logs are kept log_retention_days, like the CloudWatch logs.
resource "aws_s3_bucket_lifecycle_configuration" "files_logs" {
  bucket = aws_s3_bucket.files_logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.storage_noncurrent_version_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.files_logs]
}

data "aws_iam_policy_document" "files_logs_bucket" {
  # With ACLs disabled, log delivery is granted to the logging service principal, for the
  # attachments bucket of this account only.
  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.files_logs.arn}/${local.files_bucket}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.files.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyWithoutTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.files_logs.arn, "${aws_s3_bucket.files_logs.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "files_logs" {
  bucket = aws_s3_bucket.files_logs.id
  policy = data.aws_iam_policy_document.files_logs_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.files_logs]
}
