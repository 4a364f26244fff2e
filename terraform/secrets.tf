# The app's secrets, in Secrets Manager, encrypted with the app's key, injected into the tasks as
# environment variables by ECS (the task definition holds only their ARNs):
#   JWT_SIGNING_KEYS       Ed25519 keys generated here, one per jwt_signing_keys entry, in order
#   DATABASE_URL           built here from the generated database password
#   STRIPE_SECRET_KEY      from the stripe_secret_key variable, when set
#   STRIPE_WEBHOOK_SECRET  from the stripe_webhook_secret variable, when set
#   SMTP_URL               from the smtp_url variable, when set (it holds the SMTP password)
#   OIDC_{ID}_CLIENT_SECRET, GITHUB_CLIENT_SECRET
#                          from identity_provider_secrets, one per identity provider
#
# Their values are in the Terraform state too (HCP Terraform encrypts state at rest; restrict
# who may read it). Changing one rolls the service: ECS reads secrets when a task starts.

# The access tokens' signing keys: the first signs, all verify (and are published at
# /.well-known/jwks.json). Rotation is four applies of var.jwt_signing_keys, each rolling the
# tasks: ["1"] -> ["1", "2"] (the new key is published) -> ["2", "1"] (it signs) -> ["2"] once
# the tokens signed by "1" have expired (ACCESS_TOKEN_TTL, 15 minutes by default).
resource "tls_private_key" "jwt" {
  for_each  = toset(var.jwt_signing_keys)
  algorithm = "ED25519"
}

resource "aws_secretsmanager_secret" "jwt" {
  #checkov:skip=CKV2_AWS_57:Rotated by Terraform through var.jwt_signing_keys (a new key is published, then signs, then the old one goes), which rolls the tasks at each step.
  name        = "${var.name}/JWT_SIGNING_KEYS"
  description = "JWT_SIGNING_KEYS of ${var.name}: the Ed25519 keys of the access tokens (PEM, the first signs)"
  kms_key_id  = aws_kms_key.app.arn

  recovery_window_in_days = var.secrets_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id     = aws_secretsmanager_secret.jwt.id
  secret_string = join("", [for id in var.jwt_signing_keys : tls_private_key.jwt[id].private_key_pem])
}

# Letters and digits only: the password goes into a URL unescaped.
resource "random_password" "db" {
  length  = 40
  special = false

  keepers = {
    version = var.db_password_version
  }
}

resource "aws_secretsmanager_secret" "database_url" {
  #checkov:skip=CKV2_AWS_57:Rotated by Terraform (db_password_version), which sets the new password on RDS and here in one apply and rolls the tasks.
  name        = "${var.name}/DATABASE_URL"
  description = "DATABASE_URL of ${var.name}: the RDS PostgreSQL database, TLS required"
  kms_key_id  = aws_kms_key.app.arn

  recovery_window_in_days = var.secrets_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id = aws_secretsmanager_secret.database_url.id
  secret_string = format(
    "postgres://%s:%s@%s:%d/%s?sslmode=require",
    local.db_username,
    random_password.db.result,
    module.db.db_instance_address,
    local.db_port,
    local.db_name,
  )
}

resource "aws_secretsmanager_secret" "stripe" {
  #checkov:skip=CKV2_AWS_57:Stripe keys are rotated in the Stripe dashboard, then set here through the workspace variables.
  for_each = local.stripe_enabled ? toset(["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]) : toset([])

  name        = "${var.name}/${each.key}"
  description = "${each.key} of ${var.name}"
  kms_key_id  = aws_kms_key.app.arn

  recovery_window_in_days = var.secrets_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "stripe" {
  for_each = aws_secretsmanager_secret.stripe

  secret_id     = each.value.id
  secret_string = each.key == "STRIPE_SECRET_KEY" ? var.stripe_secret_key : var.stripe_webhook_secret
}

resource "aws_secretsmanager_secret" "smtp" {
  #checkov:skip=CKV2_AWS_57:SMTP credentials are rotated at the provider (SES: new SMTP credentials), then set here through the workspace variable.
  for_each = local.smtp_enabled ? toset(["SMTP_URL"]) : toset([])

  name        = "${var.name}/${each.key}"
  description = "SMTP_URL of ${var.name}: the SMTP server and its credentials"
  kms_key_id  = aws_kms_key.app.arn

  recovery_window_in_days = var.secrets_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "smtp" {
  for_each = aws_secretsmanager_secret.smtp

  secret_id     = each.value.id
  secret_string = var.smtp_url
}

resource "aws_secretsmanager_secret" "identity_provider" {
  #checkov:skip=CKV2_AWS_57:Client secrets are rotated at the identity provider, then set here through the workspace variable.
  # By provider id; the ids are not secret (for_each refuses sensitive values).
  for_each = nonsensitive(toset(keys(var.identity_provider_secrets)))

  name        = "${var.name}/${local.provider_secret_names[each.key]}"
  description = "${local.provider_secret_names[each.key]} of ${var.name}: the ${each.key} sign-in client's secret"
  kms_key_id  = aws_kms_key.app.arn

  recovery_window_in_days = var.secrets_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "identity_provider" {
  for_each = aws_secretsmanager_secret.identity_provider

  secret_id     = each.value.id
  secret_string = var.identity_provider_secrets[each.key]
}

locals {
  # name => secret ARN, as the container definition's `secrets` wants them.
  app_secrets = merge(
    {
      JWT_SIGNING_KEYS = aws_secretsmanager_secret.jwt.arn
      DATABASE_URL     = aws_secretsmanager_secret.database_url.arn
    },
    { for name, secret in aws_secretsmanager_secret.stripe : name => secret.arn },
    { for name, secret in aws_secretsmanager_secret.smtp : name => secret.arn },
    { for id, secret in aws_secretsmanager_secret.identity_provider : local.provider_secret_names[id] => secret.arn },
  )
}
