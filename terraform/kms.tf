# One customer-managed key for the app's data at rest: the secrets, the logs, the database
# storage and Performance Insights, the image repository, the file attachments (storage.tf).
# Rotated yearly by AWS.
resource "aws_kms_key" "app" {
  description             = "${var.name}: secrets, logs, database, images, files"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "app" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.app.key_id
}

data "aws_iam_policy_document" "kms" {
  # The account administers the key and delegates its use to IAM policies; RDS uses it through
  # grants made when the database is created, S3 on behalf of the task role (storage.tf).
  #checkov:skip=CKV_AWS_109:The key policy's account-root statement is the standard delegation to IAM; resources "*" in a key policy means this key.
  #checkov:skip=CKV_AWS_111:Same statement: a key policy can only name the key it is attached to.
  #checkov:skip=CKV_AWS_356:Resource "*" in a key policy is this key.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # Secrets Manager and ECR use the key on behalf of this account's principals, as with the
  # AWS-managed keys: who may read a secret or pull an image is decided by IAM on the secret or
  # the repository (the task execution role may read the app's secrets and nothing else).
  statement {
    # The wildcard principal is bound to this account and to calls made through Secrets Manager
    # or ECR (kms:CallerAccount, kms:ViaService), as in the AWS-managed keys' policies.
    sid       = "UseThroughSecretsManagerAndEcr"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "secretsmanager.${var.aws_region}.amazonaws.com",
        "ecr.${var.aws_region}.amazonaws.com",
      ]
    }
  }

  # CloudWatch Logs encrypts the app's and the VPC flow logs' log groups with it.
  statement {
    sid = "CloudWatchLogsUseTheKey"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.aws_region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:*"]
    }
  }
}
