# The app: an ECS Fargate service in the private subnets behind the ALB, at least two tasks (one
# per availability zone), scaled on CPU. Each task runs the image as the Dockerfile builds it
# (`backend serve`, listening on 0.0.0.0:8000, migrations at start-up under a PostgreSQL
# advisory lock), with its settings as environment variables and its secrets from Secrets
# Manager. A deploy that does not turn healthy is rolled back (deployment circuit breaker).

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# The app's log group: JSON lines (LOG_FORMAT=json), encrypted, kept log_retention_days.
resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${var.name}/${local.container}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.app.arn
}

locals {
  app_environment = merge(
    {
      APP_MODE                   = "prod"
      BIND_ADDR                  = "0.0.0.0:${local.app_port}"
      STATIC_DIR                 = "/app/dist"
      LOG_FORMAT                 = "json"
      RUST_LOG                   = var.rust_log
      TRUST_PROXY                = "true"        # the ALB sets X-Forwarded-For
      PUBLIC_URL                 = local.app_url # tokens' issuer, Stripe's return URLs, links in emails
      REQUIRE_VERIFIED_EMAIL     = tostring(var.require_verified_email)
      DB_POOL_SIZE               = tostring(var.db_pool_size)
      RATE_LIMIT_ENABLED         = "true"
      RATE_LIMIT_AUTH_PER_MINUTE = "20"
      # Attachments in S3 (storage.tf), with the task role's credentials (ECS sets
      # AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).
      STORAGE_URL         = "s3://${aws_s3_bucket.files.bucket}/${local.files_prefix}"
      AWS_REGION          = var.aws_region
      MAX_UPLOAD_BYTES    = tostring(var.max_upload_bytes)
      STORAGE_QUOTA_BYTES = tostring(var.storage_quota_bytes)
    },
    # Optional settings: only when given, so the app's defaults apply otherwise.
    { for name, value in {
      CREDIT_PACKAGES  = var.credit_packages
      CORS_ORIGINS     = var.cors_origins
      MAIL_FROM        = var.mail_from
      OIDC_PROVIDERS   = join(",", keys(local.oidc_providers))
      GITHUB_CLIENT_ID = try(var.identity_providers["github"].client_id, "")
    } : name => value if value != "" },
    # Each OpenID Connect provider's issuer, client id and (when given) name; secrets.tf has its
    # client secret.
    merge([for id, p in local.oidc_providers : { for name, value in {
      "${local.oidc_prefix[id]}_ISSUER"    = p.issuer
      "${local.oidc_prefix[id]}_CLIENT_ID" = p.client_id
      "${local.oidc_prefix[id]}_NAME"      = p.name
    } : name => value if value != "" }]...),
  )
}

module "ecs_service" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "6.4.0"

  name        = var.name
  cluster_arn = aws_ecs_cluster.this.arn

  cpu    = var.task_cpu
  memory = var.task_memory
  runtime_platform = {
    cpu_architecture        = "X86_64"
    operating_system_family = "LINUX"
  }

  # Autoscaling owns the count once the service exists; this is the starting point.
  desired_count                      = var.min_tasks
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 30
  deployment_circuit_breaker = {
    enable   = true
    rollback = true
  }
  # `terraform apply` returns once the new tasks are healthy (or fails when they are not).
  wait_for_steady_state  = true
  enable_execute_command = false

  subnet_ids       = module.vpc.private_subnets
  assign_public_ip = false

  load_balancer = {
    app = {
      target_group_arn = module.alb.target_groups[local.container].arn
      container_name   = local.container
      container_port   = local.app_port
    }
  }

  # In: the app's port, from the ALB only. Out: PostgreSQL to the database's group, HTTPS (ECR,
  # Secrets Manager, CloudWatch Logs, S3, Stripe) and SMTP submission (587 STARTTLS, 465 TLS) through
  # the NAT gateway.
  security_group_ingress_rules = {
    alb = {
      description                  = "From the load balancer"
      from_port                    = local.app_port
      to_port                      = local.app_port
      ip_protocol                  = "tcp"
      referenced_security_group_id = module.alb.security_group_id
    }
  }
  security_group_egress_rules = {
    database = {
      description                  = "To PostgreSQL"
      from_port                    = local.db_port
      to_port                      = local.db_port
      ip_protocol                  = "tcp"
      referenced_security_group_id = aws_security_group.db.id
    }
    https = {
      description = "HTTPS to AWS APIs and Stripe"
      from_port   = 443
      to_port     = 443
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
    smtp_starttls = {
      description = "SMTP submission with STARTTLS"
      from_port   = 587
      to_port     = 587
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
    smtp_tls = {
      description = "SMTP submission over TLS"
      from_port   = 465
      to_port     = 465
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
  }

  # ECS reads secrets when a task starts: a new secret value (a new database password, a new
  # Stripe key, new SMTP credentials, a provider's new client secret) redeploys the service so that every task runs with it.
  triggers = {
    secrets = sha1(join(",", concat(
      [
        aws_secretsmanager_secret_version.jwt.version_id,
        aws_secretsmanager_secret_version.database_url.version_id,
      ],
      [for version in aws_secretsmanager_secret_version.stripe : version.version_id],
      [for version in aws_secretsmanager_secret_version.smtp : version.version_id],
      [for version in aws_secretsmanager_secret_version.identity_provider : version.version_id],
    )))
  }

  # The task execution role (ECS pulling the image and the secrets) may read these secrets and no
  # others; the app's key decrypts them through Secrets Manager (kms.tf).
  task_exec_secret_arns = values(local.app_secrets)

  # The task role (the app's own AWS calls) may use the attachments under files/ in their bucket
  # and nothing else (storage.tf). Attached before the task definition is registered.
  tasks_iam_role_policies = {
    files = aws_iam_policy.files_access.arn
  }

  container_definitions = {
    (local.container) = {
      image     = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"
      essential = true

      portMappings = [
        {
          name          = local.container
          containerPort = local.app_port
          hostPort      = local.app_port
          protocol      = "tcp"
        },
      ]

      environment = [
        for name in sort(keys(local.app_environment)) : {
          name  = name
          value = local.app_environment[name]
        }
      ]
      secrets = [
        for name in sort(keys(local.app_secrets)) : {
          name      = name
          valueFrom = local.app_secrets[name]
        }
      ]

      # The app writes nothing to disk (the database is RDS, the attachments are in S3).
      readonlyRootFilesystem = true
      user                   = "65532:65532"

      # The image's HEALTHCHECK program (no shell in the distroless image).
      healthCheck = {
        command     = ["CMD", "/app/healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }

      # SIGTERM first: Actix finishes in-flight requests (up to 30 s) and exits 0.
      stopTimeout = 35

      enable_cloudwatch_logging   = true
      create_cloudwatch_log_group = false
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.app.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "ecs"
        }
      }
    }
  }

  enable_autoscaling       = true
  autoscaling_min_capacity = var.min_tasks
  autoscaling_max_capacity = var.max_tasks
  autoscaling_policies = {
    cpu = {
      policy_type = "TargetTrackingScaling"
      target_tracking_scaling_policy_configuration = {
        predefined_metric_specification = {
          predefined_metric_type = "ECSServiceAverageCPUUtilization"
        }
        target_value       = var.cpu_target_percent
        scale_in_cooldown  = 300
        scale_out_cooldown = 60
      }
    }
  }

  # The secrets must hold a value, and the attachments bucket be private and encrypted, before a
  # task starts.
  depends_on = [
    aws_secretsmanager_secret_version.jwt,
    aws_secretsmanager_secret_version.database_url,
    aws_secretsmanager_secret_version.stripe,
    aws_secretsmanager_secret_version.smtp,
    aws_secretsmanager_secret_version.identity_provider,
    aws_s3_bucket_public_access_block.files,
    aws_s3_bucket_server_side_encryption_configuration.files,
    aws_s3_bucket_policy.files,
  ]
}
