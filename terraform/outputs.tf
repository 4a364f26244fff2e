output "app_url" {
  description = "URL of the app (https when certificate_arn is set; the domain_name when set, else the ALB's DNS name)."
  value       = local.app_url
}

output "alb_dns_name" {
  description = "DNS name of the load balancer: point domain_name at it (CNAME, or a Route 53 alias with alb_zone_id)."
  value       = module.alb.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone of the load balancer, for an alias record."
  value       = module.alb.zone_id
}

output "ecr_repository_url" {
  description = "Where the deploy workflow pushes the image (tag: the git commit SHA)."
  value       = aws_ecr_repository.app.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster of the service."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "ECS service running the app."
  value       = module.ecs_service.name
}

output "log_group_name" {
  description = "CloudWatch log group of the app (JSON lines)."
  value       = aws_cloudwatch_log_group.app.name
}

output "db_endpoint" {
  description = "Address of the PostgreSQL database (reachable from the app's tasks only)."
  value       = module.db.db_instance_address
}

output "storage_bucket_name" {
  description = "S3 bucket of the file attachments (under files/: STORAGE_URL=s3://<bucket>/files)."
  value       = aws_s3_bucket.files.bucket
}

output "secret_arns" {
  description = "Secrets Manager ARNs injected into the tasks, by variable name."
  value       = local.app_secrets
}

output "github_deploy_role_arn" {
  description = "Role for the deploy workflow's AWS_DEPLOY_ROLE_ARN repository variable (empty without github_repository)."
  value       = local.github_deploy ? aws_iam_role.github_deploy[0].arn : ""
}

output "image" {
  description = "Image the service runs."
  value       = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"
}
