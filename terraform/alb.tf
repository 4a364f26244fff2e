# The public entry point. With a certificate: HTTPS on 443 (TLS 1.2+), HTTP on 80 redirects to
# it. Without one: HTTP on 80 only. Either way the target group checks GET /healthz on every task.
# (Conditional maps are built with filtered `for` expressions: a `cond ? {...} : {...}` whose
# branches hold different keys has no single type and does not validate.)
locals {
  forward_to_app = {
    target_group_key = local.container
  }

  alb_listeners = {
    for key, listener in {
      "http-redirect" = {
        port     = 80
        protocol = "HTTP"
        redirect = {
          port        = "443"
          protocol    = "HTTPS"
          status_code = "HTTP_301"
        }
      }
      https = {
        port            = 443
        protocol        = "HTTPS"
        ssl_policy      = var.ssl_policy
        certificate_arn = var.certificate_arn
        forward         = local.forward_to_app
      }
      http = {
        port     = 80
        protocol = "HTTP"
        forward  = local.forward_to_app
      }
    } : key => listener
    if contains(local.https ? ["http-redirect", "https"] : ["http"], key)
  }

  alb_ingress_rules = {
    for key, rule in {
      http = {
        description = "HTTP from the internet (redirected to HTTPS when a certificate is set)"
        port        = 80
      }
      https = {
        description = "HTTPS from the internet"
        port        = 443
      }
      } : key => {
      description = rule.description
      from_port   = rule.port
      to_port     = rule.port
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
    if key == "http" || local.https
  }

  alb_access_logs = {
    for key, value in {
      bucket  = var.alb_access_logs_bucket
      prefix  = var.name
      enabled = "true"
    } : key => value
    if var.alb_access_logs_bucket != ""
  }
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "10.0.0"

  name               = var.name
  load_balancer_type = "application"
  vpc_id             = module.vpc.vpc_id
  subnets            = module.vpc.public_subnets

  enable_deletion_protection = var.alb_deletion_protection
  drop_invalid_header_fields = true

  access_logs = local.alb_access_logs

  # In: HTTP (and HTTPS) from anywhere. Out: only to the app's port inside the VPC.
  security_group_ingress_rules = local.alb_ingress_rules
  security_group_egress_rules = {
    app = {
      description = "To the app tasks"
      from_port   = local.app_port
      to_port     = local.app_port
      ip_protocol = "tcp"
      cidr_ipv4   = module.vpc.vpc_cidr_block
    }
  }

  listeners = local.alb_listeners

  target_groups = {
    (local.container) = {
      name_prefix          = "app-"
      protocol             = "HTTP"
      port                 = local.app_port
      target_type          = "ip"
      deregistration_delay = 30
      # ECS registers the tasks itself.
      create_attachment = false

      health_check = {
        enabled             = true
        path                = "/healthz"
        port                = "traffic-port"
        protocol            = "HTTP"
        matcher             = "200"
        interval            = 15
        timeout             = 5
        healthy_threshold   = 2
        unhealthy_threshold = 3
      }
    }
  }
}
