# PostgreSQL 16 in the database subnets (no route out of the VPC), reachable only from the app's
# tasks, encrypted with the app's key, TLS enforced, automated backups, Multi-AZ on request.

resource "aws_security_group" "db" {
  #checkov:skip=CKV2_AWS_5:Attached to the RDS instance through module.db (vpc_security_group_ids), which checkov does not follow offline.
  name_prefix = "${var.name}-db-"
  description = "PostgreSQL of ${var.name}: from the app tasks only"
  vpc_id      = module.vpc.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the app tasks"
  from_port                    = local.db_port
  to_port                      = local.db_port
  ip_protocol                  = "tcp"
  referenced_security_group_id = module.ecs_service.security_group_id
}

module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "7.2.1"

  identifier = var.name

  engine               = "postgres"
  engine_version       = var.db_engine_version
  family               = "postgres16"
  major_engine_version = "16"
  instance_class       = var.db_instance_class

  storage_type          = "gp3"
  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.app.arn

  db_name  = local.db_name
  username = local.db_username
  port     = local.db_port
  # The password is Terraform's (random_password.db), so that the DATABASE_URL secret can hold
  # it; RDS-managed passwords rotate behind the running tasks' backs.
  manage_master_user_password = false
  password_wo                 = random_password.db.result
  password_wo_version         = var.db_password_version

  multi_az               = var.db_multi_az
  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false

  backup_retention_period  = var.db_backup_retention_days
  backup_window            = "03:00-04:00"
  maintenance_window       = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot    = true
  delete_automated_backups = false
  deletion_protection      = var.db_deletion_protection
  skip_final_snapshot      = var.db_skip_final_snapshot
  # A fixed name would collide with the snapshot of an earlier destroy; RDS appends a timestamp.
  final_snapshot_identifier_prefix = "${var.name}-final"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = false

  iam_database_authentication_enabled    = true
  performance_insights_enabled           = true
  performance_insights_retention_period  = 7
  performance_insights_kms_key_id        = aws_kms_key.app.arn
  monitoring_interval                    = 60
  create_monitoring_role                 = true
  monitoring_role_name                   = "${var.name}-rds-monitoring"
  enabled_cloudwatch_logs_exports        = ["postgresql", "upgrade"]
  create_cloudwatch_log_group            = true
  cloudwatch_log_group_retention_in_days = var.log_retention_days
  cloudwatch_log_group_kms_key_id        = aws_kms_key.app.arn

  parameters = [
    # Only TLS connections (the DATABASE_URL says sslmode=require).
    { name = "rds.force_ssl", value = "1" },
    { name = "log_min_duration_statement", value = "500" },
  ]
}
