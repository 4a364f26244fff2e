################################################################################
# General
################################################################################

variable "name" {
  description = "Name prefix of every resource (the ECS cluster, service, ALB, database, secrets...). Lower-case letters, digits and hyphens; at most 20 characters so derived AWS names stay within their limits."
  type        = string
  default     = "saas-starter"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name: 3 to 20 characters, lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "aws_region" {
  description = "AWS region to deploy into, e.g. eu-west-1. Must have at least two availability zones."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region: an AWS region code such as eu-west-1 or us-east-1."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged into the provider's default tags)."
  type        = map(string)
  default     = {}
}

################################################################################
# Network
################################################################################

variable "vpc_cidr" {
  description = "CIDR block of the VPC. Split into public (ALB, NAT), private (ECS tasks) and database subnets across two availability zones."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) <= 20, false)
    error_message = "vpc_cidr: a valid IPv4 CIDR block of /20 or larger (it is cut into six subnets)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both availability zones (cheaper) instead of one per zone (survives the loss of a zone). Tasks reach ECR, Secrets Manager, CloudWatch and Stripe through it."
  type        = bool
  default     = true
}

################################################################################
# Load balancer and TLS
################################################################################

variable "certificate_arn" {
  description = "ARN of an ACM certificate (in aws_region) for the domain the app is served on. When set, the ALB serves HTTPS on 443 and redirects HTTP to it; when empty, plain HTTP on 80 only (for a first smoke test: browsers drop the app's Secure session cookie over plain HTTP, so sign-in does not survive a reload)."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn: empty, or an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)."
  }
}

variable "domain_name" {
  description = "Public host name of the app (e.g. app.example.com), pointed at the ALB by your DNS (a CNAME or Route 53 alias to the alb_dns_name output). Used for the app_url output; empty means the ALB's own DNS name."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name: empty or a lower-case DNS name such as app.example.com."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-", var.ssl_policy))
    error_message = "ssl_policy: an ELB security policy name (ELBSecurityPolicy-...)."
  }
}

variable "alb_deletion_protection" {
  description = "Refuse to delete the load balancer (set false before `terraform destroy`)."
  type        = bool
  default     = true
}

variable "alb_access_logs_bucket" {
  description = "Name of an existing S3 bucket that accepts ELB access logs (see the AWS docs for its bucket policy). Empty: no access logs."
  type        = string
  default     = ""

  validation {
    condition     = var.alb_access_logs_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.alb_access_logs_bucket))
    error_message = "alb_access_logs_bucket: empty or a valid S3 bucket name."
  }
}

################################################################################
# Application (ECS Fargate)
################################################################################

variable "image_tag" {
  description = "Tag of the application image in the ECR repository this configuration creates (the deploy workflow passes the git commit SHA). Tags are immutable: `latest` is refused."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag: a Docker tag (letters, digits, _ . -, at most 128 characters), not `latest`."
  }
}

variable "task_cpu" {
  description = "CPU units per task (1024 = one vCPU)."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu: one of the Fargate sizes 256, 512, 1024, 2048, 4096."
  }
}

variable "task_memory" {
  description = "Memory per task in MiB; must be a valid Fargate combination with task_cpu (e.g. 512 CPU: 1024-4096 MiB)."
  type        = number
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720 && var.task_memory % 512 == 0
    error_message = "task_memory: a multiple of 512 MiB between 512 and 30720 that Fargate accepts for task_cpu."
  }
}

variable "min_tasks" {
  description = "Tasks that always run (and the initial desired count). At least 2, one per availability zone."
  type        = number
  default     = 2

  validation {
    condition     = var.min_tasks >= 2 && floor(var.min_tasks) == var.min_tasks
    error_message = "min_tasks: a whole number, at least 2 (a single task is a single point of failure)."
  }
}

variable "max_tasks" {
  description = "Upper bound of CPU-based autoscaling. Mind the database's connection limit: max_tasks x db_pool_size connections."
  type        = number
  default     = 6

  validation {
    condition     = var.max_tasks >= 2 && var.max_tasks <= 100 && floor(var.max_tasks) == var.max_tasks
    error_message = "max_tasks: a whole number between 2 and 100 (and not below min_tasks)."
  }

  # Terraform >= 1.9 lets a validation read other variables.
  validation {
    condition     = var.max_tasks >= var.min_tasks
    error_message = "max_tasks: must not be below min_tasks."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation of the service that autoscaling keeps (target tracking)."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent: between 10 and 90."
  }
}

variable "db_pool_size" {
  description = "DB_POOL_SIZE: database connections per task. max_tasks x db_pool_size must stay below the instance's max_connections (db.t4g.micro: about 80)."
  type        = number
  default     = 8

  validation {
    condition     = var.db_pool_size >= 1 && var.db_pool_size <= 50
    error_message = "db_pool_size: between 1 and 50."
  }
}

variable "rust_log" {
  description = "RUST_LOG of the app (log filter)."
  type        = string
  default     = "info"
}

variable "credit_packages" {
  description = "CREDIT_PACKAGES of the app (`id:credits:price_cents:currency`, comma-separated); empty keeps the app's default packages."
  type        = string
  default     = ""

  validation {
    condition     = var.credit_packages == "" || can(regex("^[A-Za-z0-9_-]+:[0-9]+:[0-9]+:[A-Za-z]{3}(,[A-Za-z0-9_-]+:[0-9]+:[0-9]+:[A-Za-z]{3})*$", var.credit_packages))
    error_message = "credit_packages: empty or id:credits:price_cents:currency entries separated by commas."
  }
}

variable "cors_origins" {
  description = "CORS_ORIGINS of the app: other origins allowed to call the API from a browser (comma-separated). Empty for the default same-origin setup."
  type        = string
  default     = ""
}

variable "log_retention_days" {
  description = "Days the app's, the database's and the VPC flow logs' CloudWatch logs, and the attachments bucket's S3 access logs, are kept."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: one of the values CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "ecr_force_delete" {
  description = "Let `terraform destroy` delete the ECR repository even though it holds images."
  type        = bool
  default     = false
}

variable "secrets_recovery_window_days" {
  description = "Days a deleted secret can still be restored. Its name stays taken meanwhile: a destroy followed by a new apply with the same name within this window fails (0 deletes at once)."
  type        = number
  default     = 7

  validation {
    condition     = var.secrets_recovery_window_days == 0 || (var.secrets_recovery_window_days >= 7 && var.secrets_recovery_window_days <= 30)
    error_message = "secrets_recovery_window_days: 0, or between 7 and 30."
  }
}

################################################################################
# File attachments (S3)
################################################################################

variable "max_upload_bytes" {
  description = "MAX_UPLOAD_BYTES: the largest file one upload may carry, in bytes (default 25 MiB)."
  type        = number
  default     = 26214400

  validation {
    condition     = var.max_upload_bytes >= 1 && floor(var.max_upload_bytes) == var.max_upload_bytes
    error_message = "max_upload_bytes: a whole number of bytes, at least 1."
  }
}

variable "storage_quota_bytes" {
  description = "STORAGE_QUOTA_BYTES: what one organisation's files may add up to, in bytes (default 1 GiB)."
  type        = number
  default     = 1073741824

  validation {
    condition     = var.storage_quota_bytes >= 0 && floor(var.storage_quota_bytes) == var.storage_quota_bytes
    error_message = "storage_quota_bytes: a whole number of bytes."
  }
}

variable "storage_noncurrent_version_days" {
  description = "Days a deleted or overwritten file stays recoverable in the attachments bucket (versioning; a lifecycle rule then removes the old version). Also applies to deleted access logs."
  type        = number
  default     = 30

  validation {
    condition     = var.storage_noncurrent_version_days >= 1 && floor(var.storage_noncurrent_version_days) == var.storage_noncurrent_version_days
    error_message = "storage_noncurrent_version_days: a whole number of days, at least 1."
  }
}

variable "storage_force_destroy" {
  description = "Let `terraform destroy` delete the attachments bucket and its access logs bucket even though they hold files (every version is deleted)."
  type        = bool
  default     = false
}

################################################################################
# Stripe (optional)
################################################################################

variable "stripe_secret_key" {
  description = "STRIPE_SECRET_KEY (sk_live_... or sk_test_...). Set it as a sensitive workspace variable; stored in Secrets Manager and injected into the tasks. Empty (with stripe_webhook_secret empty): no payment provider, purchases answer 503 in prod."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.stripe_secret_key == "" || can(regex("^(sk|rk)_(live|test)_[A-Za-z0-9]+$", var.stripe_secret_key))
    error_message = "stripe_secret_key: empty or a Stripe secret key (sk_live_..., sk_test_..., or a restricted rk_ key)."
  }
}

variable "stripe_webhook_secret" {
  description = "STRIPE_WEBHOOK_SECRET (whsec_...) of the webhook endpoint https://<domain>/api/webhooks/stripe. Set it as a sensitive workspace variable; required with stripe_secret_key."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.stripe_webhook_secret == "" || can(regex("^whsec_[A-Za-z0-9]+$", var.stripe_webhook_secret))
    error_message = "stripe_webhook_secret: empty or a Stripe webhook signing secret (whsec_...)."
  }

  validation {
    condition     = (var.stripe_secret_key == "") == (var.stripe_webhook_secret == "")
    error_message = "stripe_secret_key and stripe_webhook_secret go together: set both or neither (the app refuses one without the other)."
  }
}

################################################################################
# Email (SMTP)
################################################################################

variable "smtp_url" {
  description = "SMTP_URL: smtp://user:pass@host:587 (STARTTLS, enforced in prod) or smtps://user:pass@host:465, e.g. Amazon SES SMTP credentials (docs/deploy.md). Set it as a sensitive workspace variable; stored in Secrets Manager and injected into the tasks. Required while require_verified_email is true."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.smtp_url == "" || can(regex("^smtps?://[^/@]+@[^/@]+", var.smtp_url))
    error_message = "smtp_url: empty or smtp(s)://user:password@host:port (percent-encode the password)."
  }
}

variable "mail_from" {
  description = "MAIL_FROM: the sender of every email, e.g. \"Acme <no-reply@acme.com>\" (with SES, a verified identity). Required with smtp_url."
  type        = string
  default     = ""

  validation {
    condition     = (var.mail_from == "") == (var.smtp_url == "")
    error_message = "mail_from and smtp_url go together: the app refuses SMTP_URL without MAIL_FROM in prod."
  }
}

variable "require_verified_email" {
  description = "REQUIRE_VERIFIED_EMAIL: buying credits and creating API keys need a verified address. The app refuses it without SMTP_URL."
  type        = bool
  default     = true

  validation {
    condition     = !var.require_verified_email || var.smtp_url != ""
    error_message = "require_verified_email needs smtp_url (no one could verify an address), or set it to false."
  }
}

################################################################################
# Database (RDS PostgreSQL)
################################################################################

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class: an RDS instance class such as db.t4g.micro or db.m7g.large."
  }
}

variable "db_engine_version" {
  description = "PostgreSQL version: the major version 16 (RDS picks its default minor and applies minor upgrades in the maintenance window) or an exact 16.x."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^16(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "db_engine_version: 16 or 16.x (the migrations and the tests target PostgreSQL 16)."
  }
}

variable "db_allocated_storage" {
  description = "Initial storage of the database in GiB (gp3)."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536
    error_message = "db_allocated_storage: between 20 and 65536 GiB."
  }
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (0 disables storage autoscaling)."
  type        = number
  default     = 100

  validation {
    condition     = var.db_max_allocated_storage == 0 || var.db_max_allocated_storage >= 20
    error_message = "db_max_allocated_storage: 0, or at least 20 GiB (and at least db_allocated_storage)."
  }

  validation {
    condition     = var.db_max_allocated_storage == 0 || var.db_max_allocated_storage >= var.db_allocated_storage
    error_message = "db_max_allocated_storage: must not be below db_allocated_storage."
  }
}

variable "db_multi_az" {
  description = "Run a synchronous standby in the second availability zone (automatic failover, about twice the cost)."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days: between 1 and 35 (0 would disable automated backups)."
  }
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database (set false before `terraform destroy`)."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the database is destroyed (keep false in production)."
  type        = bool
  default     = false
}

variable "jwt_signing_keys" {
  description = "Names of the access tokens' Ed25519 signing keys, generated here; the first signs, all verify. To rotate: add a new name second, apply; move it first, apply; remove the old one after the access-token lifetime, apply."
  type        = list(string)
  default     = ["1"]

  validation {
    condition     = length(var.jwt_signing_keys) >= 1 && length(distinct(var.jwt_signing_keys)) == length(var.jwt_signing_keys)
    error_message = "jwt_signing_keys: at least one name, each once."
  }
}

variable "db_password_version" {
  description = "Bump to generate a new database password: RDS and the DATABASE_URL secret get it in the same apply, and the service rolls its tasks."
  type        = number
  default     = 1

  validation {
    condition     = var.db_password_version >= 1 && floor(var.db_password_version) == var.db_password_version
    error_message = "db_password_version: a whole number, at least 1."
  }
}

################################################################################
# GitHub Actions deploy role (optional)
################################################################################

variable "github_repository" {
  description = "`owner/name` of the GitHub repository whose deploy workflow pushes images (OIDC, no stored AWS keys). Empty: no deploy role is created."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository: empty or owner/name."
  }
}

variable "github_environment" {
  description = "GitHub environment of the deploy job; only workflow runs in it may assume the deploy role."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.github_environment))
    error_message = "github_environment: letters, digits, _ . -."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC identity provider (token.actions.githubusercontent.com). Set false when the account already has one (there can be only one per URL)."
  type        = bool
  default     = true
}

################################################################################
# Sign-in with identity providers (optional)
################################################################################

variable "identity_providers" {
  description = "Identity providers users may sign in with, by id: OpenID Connect ones with their issuer (https), and \"github\" (no issuer). Register https://<domain>/api/auth/oauth/<id>/callback at each; each id's client secret goes in identity_provider_secrets. name is the button's (default: the id, capitalised)."
  type = map(object({
    client_id = string
    issuer    = optional(string, "")
    name      = optional(string, "")
  }))
  default = {}

  validation {
    condition     = alltrue([for id, p in var.identity_providers : can(regex("^[a-z0-9-]{1,32}$", id)) && (id == "github" ? p.issuer == "" : startswith(p.issuer, "https://"))])
    error_message = "identity_providers: ids are 1 to 32 lower-case letters, digits or -; each has an https issuer, but \"github\", which has none."
  }
}

variable "identity_provider_secrets" {
  description = "The client secret of each identity provider, by the ids of identity_providers. Set it as a sensitive workspace variable; stored in Secrets Manager and injected into the tasks."
  type        = map(string)
  default     = {}
  sensitive   = true

  validation {
    condition     = toset(keys(var.identity_provider_secrets)) == toset(keys(var.identity_providers))
    error_message = "identity_provider_secrets: one client secret for each id of identity_providers, and no other."
  }
}
