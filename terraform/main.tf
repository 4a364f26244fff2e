# The SaaS starter on AWS: a VPC over two availability zones, an Application Load Balancer in the
# public subnets, the app as an ECS Fargate service in the private subnets (at least two tasks,
# CPU autoscaling), RDS PostgreSQL 16 in isolated database subnets, secrets in Secrets Manager,
# logs in CloudWatch. Traffic flows ALB -> tasks (8000) -> database (5432), nothing else.
# docs/deploy.md lists every variable, secret and step.

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      Application = var.name
      ManagedBy   = "terraform"
    })
  }
}

data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only the first two zones by name are used (local.azs); a zone AWS adds later sorts after them and is never picked up.
  state = "available"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 2)

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # What the container listens on; the image sets BIND_ADDR=0.0.0.0:8000.
  app_port    = 8000
  container   = "app"
  db_port     = 5432
  db_name     = "app"
  db_username = "app"

  https    = var.certificate_arn != ""
  app_host = var.domain_name != "" ? var.domain_name : module.alb.dns_name
  app_url  = "${local.https ? "https" : "http"}://${local.app_host}"

  # Whether Stripe and SMTP are configured is not a secret (and for_each refuses sensitive values).
  stripe_enabled = nonsensitive(var.stripe_secret_key != "")
  smtp_enabled   = nonsensitive(var.smtp_url != "")

  # The app's names for the providers' settings: OIDC_{ID}_... (README, "Sign in with Google"),
  # and GITHUB_... for GitHub.
  oidc_providers = { for id, p in var.identity_providers : id => p if id != "github" }
  oidc_prefix    = { for id in keys(local.oidc_providers) : id => "OIDC_${upper(replace(id, "-", "_"))}" }
  provider_secret_names = {
    for id in keys(var.identity_providers) :
    id => id == "github" ? "GITHUB_CLIENT_SECRET" : "${local.oidc_prefix[id]}_CLIENT_SECRET"
  }
}
